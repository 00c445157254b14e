import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { attachments, messages, type AttachmentRow, type MessageRow } from './conversations.tables.js';
import { loadContactUuids, loadUserUuids } from './conversation-participants.js';

/**
 * Contact-center APIs hand a conversation's messages or notes over whole (Dixa's lists have no
 * pages); this cap only keeps one runaway conversation from building an unbounded response.
 */
export const TRANSCRIPT_LIMIT = 5000;

export interface TranscriptEntry {
  message: MessageRow;
  /** The UUID of the contact or agent who wrote it. */
  authorUuid: string;
  attachments: AttachmentRow[];
}

/**
 * The conversation's public messages (`kind: 'messages'`) or its internal notes (`'notes'`) in
 * the order they were written, each with its author's UUID and its files: three queries for the
 * whole list. Activity lines, deleted messages and bot messages (bots have no UUID) are left out.
 */
export async function listTranscript(
  db: Db,
  accountId: number,
  conversationId: number,
  kind: 'messages' | 'notes',
): Promise<TranscriptEntry[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.conversationId, conversationId),
        eq(messages.isPrivate, kind === 'notes'),
        ne(messages.messageType, 'activity'),
        isNull(messages.deletedAt),
      ),
    )
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(TRANSCRIPT_LIMIT);
  return attachTranscriptRelations(db, accountId, rows);
}

/** Authors and files for the given messages, in two queries plus one per author kind. */
export async function attachTranscriptRelations(
  db: Db,
  accountId: number,
  rows: MessageRow[],
): Promise<TranscriptEntry[]> {
  const idsOf = (type: MessageRow['senderType']) =>
    rows.flatMap((row) => (row.senderType === type && row.senderId !== null ? [row.senderId] : []));
  const [userUuids, contactUuids, files] = await Promise.all([
    loadUserUuids(db, idsOf('user')),
    loadContactUuids(db, accountId, idsOf('contact')),
    rows.length === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(attachments)
          .where(
            and(
              eq(attachments.accountId, accountId),
              inArray(
                attachments.messageId,
                rows.map((row) => row.id),
              ),
            ),
          )
          .orderBy(asc(attachments.id)),
  ]);
  return rows.flatMap((message) => {
    const uuids = message.senderType === 'user' ? userUuids : contactUuids;
    const authorUuid = message.senderId === null ? undefined : uuids.get(message.senderId);
    if (message.senderType === 'agent_bot' || authorUuid === undefined) return [];
    return [{ message, authorUuid, attachments: files.filter((file) => file.messageId === message.id) }];
  });
}
