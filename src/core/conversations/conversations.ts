import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { conversations, type ConversationRow } from './conversations.tables.js';
import { conversationStatusChanged, conversationUpdated } from './conversations.events.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { routeStatusChange } from '../routing/conversation-lifecycle.js';

/** Chatwoot addresses conversations by their per-account number, never by the internal id. */
export async function findConversationByDisplayId(
  db: Db,
  accountId: number,
  displayId: number,
): Promise<ConversationRow | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));
  return row ?? null;
}

export async function getConversationByDisplayId(
  db: Db,
  accountId: number,
  displayId: number,
): Promise<ConversationRow> {
  const row = await findConversationByDisplayId(db, accountId, displayId);
  if (!row) throw notFound('Conversation');
  return row;
}

export async function getConversation(db: Db, accountId: number, id: number): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)));
  if (!row) throw notFound('Conversation');
  return row;
}

/**
 * Reads the row under a lock, so read-modify-write changes on one conversation serialize. The lock
 * is FOR NO KEY UPDATE, the strength of an UPDATE that keeps the key: a row inserted or updated
 * elsewhere that references the conversation (its foreign-key check takes FOR KEY SHARE) does not
 * wait for it. With FOR UPDATE, an accept holding the conversation and waiting for its routing
 * entry deadlocked with an expiry holding the entry and re-offering it (routing-lock-order.test.ts).
 */
export async function lockConversation(tx: Db, accountId: number, id: number): Promise<ConversationRow> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
    .for('no key update');
  if (!row) throw notFound('Conversation');
  return row;
}

type ConversationPatch = Partial<Omit<typeof conversations.$inferInsert, 'id' | 'accountId' | 'displayId'>>;

export async function writeConversation(
  tx: Db,
  row: ConversationRow,
  patch: ConversationPatch,
): Promise<ConversationRow> {
  const [updated] = await tx
    .update(conversations)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(conversations.accountId, row.accountId), eq(conversations.id, row.id)))
    .returning();
  if (!updated) throw notFound('Conversation');
  return updated;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/** Attribute changes between two rows, snake_case as Chatwoot's changed_attributes, dates as ISO strings. */
export function changesBetween(
  before: ConversationRow,
  after: ConversationRow,
  keys: (keyof ConversationRow)[],
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    const from = comparable(before[key]);
    const to = comparable(after[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[snakeCase(key)] = { from, to };
  }
  return changes;
}

/** Records conversation.updated when something among `keys` changed; returns whether it did. */
export async function recordConversationChanges(
  tx: Db,
  before: ConversationRow,
  after: ConversationRow,
  keys: (keyof ConversationRow)[],
  actor: Actor,
): Promise<boolean> {
  const changes = changesBetween(before, after, keys);
  if (Object.keys(changes).length === 0) return false;
  await recordEvent(tx, conversationUpdated, {
    accountId: after.accountId,
    aggregateId: after.id,
    payload: { conversation: await snapshotOfRow(tx, after), changes },
    actor,
  });
  return true;
}

export async function recordStatusChange(
  tx: Db,
  after: ConversationRow,
  previousStatus: string,
  actor: Actor,
): Promise<void> {
  await recordEvent(tx, conversationStatusChanged, {
    accountId: after.accountId,
    aggregateId: after.id,
    payload: { conversation: await snapshotOfRow(tx, after), previousStatus },
    actor,
  });
  await routeStatusChange(tx, after, previousStatus);
}

/**
 * Marks the conversation seen by agents (which clears the unread counter, as Chatwoot's
 * unread count is the incoming messages after the agent last looked) or by the contact.
 */
export async function updateLastSeen(
  tx: Db,
  conversation: ConversationRow,
  by: 'agent' | 'contact',
  options: { actor: Actor; isAssignee?: boolean } = { actor: { type: 'system' } },
): Promise<ConversationRow> {
  const now = new Date();
  const patch: ConversationPatch =
    by === 'contact'
      ? { contactLastSeenAt: now }
      : {
          agentLastSeenAt: now,
          unreadCount: 0,
          ...(options.isAssignee ? { assigneeLastSeenAt: now } : {}),
        };
  const updated = await writeConversation(tx, conversation, patch);
  await recordConversationChanges(
    tx,
    conversation,
    updated,
    ['agentLastSeenAt', 'assigneeLastSeenAt', 'contactLastSeenAt', 'unreadCount'],
    options.actor,
  );
  return updated;
}
