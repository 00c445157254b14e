import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { contacts, type ContactRow } from '../contacts/contacts.tables.js';
import { attachments, conversations, type AttachmentRow, type MessageRow } from './conversations.tables.js';
import type { AttachmentSnapshot, MessageSnapshot, SenderSnapshot } from './conversations.events.js';
import {
  contactSnapshotColumns,
  contactSnapshotOf,
  loadUserSummaries,
  type ContactSnapshotRow,
  type UserSummary,
} from './conversation-snapshots.js';

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

export function contactSenderOf(row: ContactSnapshotRow): SenderSnapshot {
  return {
    type: 'contact',
    id: row.id,
    name: row.name,
    email: row.email,
    avatarUrl: row.avatarUrl,
    contact: contactSnapshotOf(row),
  };
}

export function userSenderOf(
  user: Pick<UserSummary, 'id' | 'name' | 'displayName' | 'email' | 'avatarUrl'>,
): SenderSnapshot {
  return {
    type: 'user',
    id: user.id,
    name: user.displayName ?? user.name,
    email: user.email,
    avatarUrl: user.avatarUrl,
    contact: null,
  };
}

export function botSenderOf(bot: { id: number; name: string; avatarUrl: string | null }): SenderSnapshot {
  return {
    type: 'agent_bot',
    id: bot.id,
    name: bot.name,
    email: null,
    avatarUrl: bot.avatarUrl,
    contact: null,
  };
}

export function messageSnapshotFrom(
  row: Omit<MessageRow, 'contentTsv' | 'uuid'>,
  conversationDisplayId: number,
  sender: SenderSnapshot | null,
  attachmentList: AttachmentSnapshot[],
): MessageSnapshot {
  return {
    id: row.id,
    accountId: row.accountId,
    conversationId: row.conversationId,
    conversationDisplayId,
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
    attachments: attachmentList,
    deleted: row.deletedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

type SenderKey = `${SenderSnapshot['type']}:${number}`;

/** Rows the caller already holds (e.g. just written), so building snapshots need not read them back. */
export interface PreloadedMessageParts {
  /** Every attachment of the messages: when given, attachments are not queried. */
  attachments?: AttachmentRow[];
  /** Sender contacts; senders among them are not queried. */
  contacts?: ContactRow[];
}

async function loadSenders(
  db: Db,
  accountId: number,
  rows: Pick<MessageRow, 'senderType' | 'senderId'>[],
  knownContacts: ContactRow[],
): Promise<Map<SenderKey, SenderSnapshot>> {
  const idsOf = (type: SenderSnapshot['type']) => [
    ...new Set(
      rows.flatMap((row) => (row.senderType === type && row.senderId !== null ? [row.senderId] : [])),
    ),
  ];
  const known = new Set(knownContacts.map((row) => row.id));
  const contactIds = idsOf('contact').filter((id) => !known.has(id));
  const botIds = idsOf('agent_bot');
  const [loadedContacts, userSummaries, botRows] = await Promise.all([
    contactIds.length === 0
      ? Promise.resolve([])
      : db
          .select(contactSnapshotColumns(contacts))
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
  for (const row of [...knownContacts, ...loadedContacts]) {
    senders.set(`contact:${row.id}`, contactSenderOf(row));
  }
  for (const user of userSummaries.values()) senders.set(`user:${user.id}`, userSenderOf(user));
  for (const bot of botRows) senders.set(`agent_bot:${bot.id}`, botSenderOf(bot));
  return senders;
}

/** Snapshots for messages of one account, with senders and attachments loaded in batches. */
/** The sender of a message about to be written, as its snapshot will show it (a read, unless none). */
export async function loadSenderSnapshot(
  db: Db,
  accountId: number,
  sender: { type: SenderSnapshot['type']; id: number } | null,
): Promise<SenderSnapshot | null> {
  if (!sender) return null;
  const senders = await loadSenders(db, accountId, [{ senderType: sender.type, senderId: sender.id }], []);
  return senders.get(`${sender.type}:${sender.id}`) ?? null;
}

export async function loadMessageSnapshots(
  db: Db,
  accountId: number,
  rows: MessageRow[],
  /** Display ids the caller already holds (conversation id → display id), saving a query. */
  knownDisplayIds: ReadonlyMap<number, number> = new Map(),
  preloaded: PreloadedMessageParts = {},
): Promise<Map<number, MessageSnapshot>> {
  if (rows.length === 0) return new Map();
  const messageIds = rows.map((row) => row.id);
  const conversationIds = [...new Set(rows.map((row) => row.conversationId))].filter(
    (id) => !knownDisplayIds.has(id),
  );
  const [senders, attachmentRows, displayIds] = await Promise.all([
    loadSenders(db, accountId, rows, preloaded.contacts ?? []),
    preloaded.attachments
      ? Promise.resolve([...preloaded.attachments].sort((a, b) => a.id - b.id))
      : db
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
    result.set(
      row.id,
      messageSnapshotFrom(
        row,
        displayIdOf.get(row.conversationId) ?? 0,
        sender,
        attachmentsOf.get(row.id) ?? [],
      ),
    );
  }
  return result;
}

export async function messageSnapshotOf(
  db: Db,
  row: MessageRow,
  known: PreloadedMessageParts & { conversationDisplayId?: number } = {},
): Promise<MessageSnapshot> {
  const displayIds = new Map(
    known.conversationDisplayId === undefined ? [] : [[row.conversationId, known.conversationDisplayId]],
  );
  const snapshot = (await loadMessageSnapshots(db, row.accountId, [row], displayIds, known)).get(row.id);
  if (!snapshot) throw new Error(`message ${row.id}: snapshot missing`);
  return snapshot;
}
