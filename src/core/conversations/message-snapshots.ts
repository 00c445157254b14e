import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { attachments, conversations, type AttachmentRow, type MessageRow } from './conversations.tables.js';
import type { AttachmentSnapshot, MessageSnapshot, SenderSnapshot } from './conversations.events.js';
import { contactSnapshotOf, loadUserSummaries } from './conversation-snapshots.js';

export function attachmentSnapshotOf(row: AttachmentRow): AttachmentSnapshot {
  return {
    id: row.id,
    fileType: row.fileType,
    fileName: row.fileName,
    contentType: row.contentType,
    byteSize: row.byteSize,
    blobKey: row.blobKey,
    externalUrl: row.externalUrl,
    coordinates: row.coordinates ?? null,
  };
}

type SenderKey = `${SenderSnapshot['type']}:${number}`;

async function loadSenders(
  db: Db,
  accountId: number,
  rows: MessageRow[],
): Promise<Map<SenderKey, SenderSnapshot>> {
  const idsOf = (type: SenderSnapshot['type']) => [
    ...new Set(
      rows.flatMap((row) => (row.senderType === type && row.senderId !== null ? [row.senderId] : [])),
    ),
  ];
  const contactIds = idsOf('contact');
  const botIds = idsOf('agent_bot');
  const [contactRows, userSummaries, botRows] = await Promise.all([
    contactIds.length === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(contacts)
          .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, contactIds))),
    loadUserSummaries(db, accountId, idsOf('user')),
    botIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ id: agentBots.id, name: agentBots.name, avatarUrl: agentBots.avatarUrl })
          .from(agentBots)
          .where(inArray(agentBots.id, botIds)),
  ]);
  const senders = new Map<SenderKey, SenderSnapshot>();
  for (const row of contactRows) {
    const contact = contactSnapshotOf(row);
    senders.set(`contact:${row.id}`, {
      type: 'contact',
      id: row.id,
      name: row.name,
      email: row.email,
      avatarUrl: row.avatarUrl,
      contact,
    });
  }
  for (const user of userSummaries.values()) {
    senders.set(`user:${user.id}`, {
      type: 'user',
      id: user.id,
      name: user.displayName ?? user.name,
      email: user.email,
      avatarUrl: user.avatarUrl,
      contact: null,
    });
  }
  for (const bot of botRows) {
    senders.set(`agent_bot:${bot.id}`, {
      type: 'agent_bot',
      id: bot.id,
      name: bot.name,
      email: null,
      avatarUrl: bot.avatarUrl,
      contact: null,
    });
  }
  return senders;
}

/** Snapshots for messages of one account, with senders and attachments loaded in batches. */
export async function loadMessageSnapshots(
  db: Db,
  accountId: number,
  rows: MessageRow[],
  /** Display ids the caller already holds (conversation id → display id), saving a query. */
  knownDisplayIds: ReadonlyMap<number, number> = new Map(),
): Promise<Map<number, MessageSnapshot>> {
  if (rows.length === 0) return new Map();
  const messageIds = rows.map((row) => row.id);
  const conversationIds = [...new Set(rows.map((row) => row.conversationId))].filter(
    (id) => !knownDisplayIds.has(id),
  );
  const [senders, attachmentRows, displayIds] = await Promise.all([
    loadSenders(db, accountId, rows),
    db
      .select()
      .from(attachments)
      .where(and(eq(attachments.accountId, accountId), inArray(attachments.messageId, messageIds)))
      .orderBy(asc(attachments.id)),
    conversationIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ id: conversations.id, displayId: conversations.displayId })
          .from(conversations)
          .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, conversationIds))),
  ]);
  const displayIdOf = new Map([
    ...knownDisplayIds,
    ...displayIds.map((row) => [row.id, row.displayId] as const),
  ]);
  const attachmentsOf = new Map<number, AttachmentSnapshot[]>();
  for (const row of attachmentRows) {
    const list = attachmentsOf.get(row.messageId) ?? [];
    list.push(attachmentSnapshotOf(row));
    attachmentsOf.set(row.messageId, list);
  }
  const result = new Map<number, MessageSnapshot>();
  for (const row of rows) {
    const sender =
      row.senderType && row.senderId !== null
        ? (senders.get(`${row.senderType}:${row.senderId}`) ?? null)
        : null;
    result.set(row.id, {
      id: row.id,
      accountId: row.accountId,
      conversationId: row.conversationId,
      conversationDisplayId: displayIdOf.get(row.conversationId) ?? 0,
      inboxId: row.inboxId,
      messageType: row.messageType,
      content: row.content,
      contentType: row.contentType,
      contentAttributes: row.contentAttributes,
      private: row.isPrivate,
      status: row.status,
      sourceId: row.sourceId,
      echoId: row.echoId,
      senderType: row.senderType,
      senderId: row.senderId,
      sender,
      externalSourceIds: row.externalSourceIds,
      additionalAttributes: row.additionalAttributes,
      attachments: attachmentsOf.get(row.id) ?? [],
      deleted: row.deletedAt !== null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    });
  }
  return result;
}

export async function messageSnapshotOf(db: Db, row: MessageRow): Promise<MessageSnapshot> {
  const snapshot = (await loadMessageSnapshots(db, row.accountId, [row])).get(row.id);
  if (!snapshot) throw new Error(`message ${row.id}: snapshot missing`);
  return snapshot;
}
