import { and, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { builtOnceCommand } from '../../platform/db/built-once.js';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import {
  notifyAfterStatement,
  sendsNotificationsAfterCommit,
} from '../../platform/db/notify-after-commit.js';
import {
  EVENTS_CHANNEL,
  oneEventInsert,
  oneEventValues,
  type OneEventValues,
} from '../../platform/events/outbox.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { messageCreated, type MessageSnapshot } from './conversations.events.js';
import { conversationSnapshotOf } from './conversation-snapshots.js';
import {
  assertHasBody,
  expectedWrites,
  isKnownBeforeWritten,
  type CreateMessageInput,
  type MessageActivityValues,
  type PreparedMessage,
} from './create-message.js';
import { messageColumns, timestampValue, type MessageValues } from './message-columns.js';

/**
 * Writes a message from the conversation as `readConversationForMessage` read it, without a lock
 * or a transaction: one statement updates the conversation only if its row is still the version
 * that was read, inserts the message with the drawn id and records message.created, and fails
 * whole (`parley_assert`) if the update found the row changed. Two round trips (the read, this)
 * instead of four (BEGIN, the lock, the writes, COMMIT).
 *
 * Resolves to the message's snapshot, or null when nothing was written: the conversation changed
 * since it was read, or the message would change its status (which records a second event); the
 * caller then writes it under the lock (`createMessage`). Only for a message `isKnownBeforeWritten`.
 */
export async function createMessageIfUnchanged(
  db: Db,
  read: { conversation: ConversationRow; version: string },
  input: CreateMessageInput & { prepared: PreparedMessage },
): Promise<MessageSnapshot | null> {
  const { conversation } = read;
  if (!isKnownBeforeWritten(input)) throw new Error('only a message known before it is written');
  assertHasBody(input);
  const { values, expected, snapshot, activity } = expectedWrites(conversation, input, input.prepared);
  if (!activity || activity.after.status !== conversation.status) return null;
  const notifiesLater = sendsNotificationsAfterCommit(db);
  const event = oneEventValues(messageCreated, {
    accountId: input.accountId,
    aggregateId: snapshot.id,
    payload: {
      message: snapshot,
      conversation: conversationSnapshotOf(activity.after, input.prepared.relations),
    },
    actor: input.actor,
  });
  try {
    await writeIfUnchanged[notifiesLater ? 'silent' : 'notifying'](db, {
      ...values,
      ...event,
      ...pick(activity.values, activityColumns),
      id: expected.id,
      createdAt: expected.createdAt,
      updatedAt: expected.updatedAt,
      conversationUpdatedAt: activity.after.updatedAt.toISOString(),
      readVersion: read.version,
    });
  } catch (error) {
    if (sqlStateOf(error) === 'PX001') return null;
    throw error;
  }
  if (notifiesLater) notifyAfterStatement(db, EVENTS_CHANNEL);
  return snapshot;
}

/** What a message changes on its conversation; the guarded write leaves its status alone. */
const activityColumns = [
  'lastActivityAt',
  'lastNonActivityMessageId',
  'unreadCount',
  'waitingSince',
  'snoozedUntil',
  'firstReplyCreatedAt',
] as const;

const pick = <T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((key) => [key, from[key]])) as Pick<T, K>;

type GuardedWriteValues = Omit<MessageValues, 'createdAt'> &
  OneEventValues &
  Pick<MessageActivityValues, (typeof activityColumns)[number]> & {
    id: number;
    createdAt: Date;
    updatedAt: Date;
    conversationUpdatedAt: string;
    readVersion: string;
  };

/**
 * The guarded write, built once per variant (`builtOnceCommand`). Drizzle built its text on every
 * message; building it once took the node's time per message from 1.3–1.7 ms to 0.8–0.9 ms
 * (bench:chatwoot). Values the three writes share (account, conversation) are one placeholder.
 */
function guardedWrite(
  db: Db,
  value: (name: keyof GuardedWriteValues & string) => Placeholder,
  variant: 'notifying' | 'silent',
): SQL {
  const guarded = db
    .update(conversations)
    .set({
      lastActivityAt: timestampValue(value('lastActivityAt')),
      // Update sets take a placeholder only inside SQL (Drizzle's types).
      lastNonActivityMessageId: sql`${value('lastNonActivityMessageId')}`,
      unreadCount: sql`${value('unreadCount')}`,
      waitingSince: timestampValue(value('waitingSince')),
      snoozedUntil: timestampValue(value('snoozedUntil')),
      firstReplyCreatedAt: timestampValue(value('firstReplyCreatedAt')),
      updatedAt: timestampValue(value('conversationUpdatedAt')),
    })
    .where(
      and(
        eq(conversations.accountId, value('accountId')),
        eq(conversations.id, value('conversationId')),
        sql`${conversations}.xmin = ${value('readVersion')}::xid`,
      ),
    )
    .returning({ id: conversations.id });
  const message = db
    .insert(messages)
    .overridingSystemValue()
    .values({
      ...messageColumns(value),
      id: value('id'),
      createdAt: value('createdAt'),
      updatedAt: value('updatedAt'),
    })
    .returning({ id: messages.id });
  const event = oneEventInsert(db, value, variant);
  return sql`with guarded as (${guarded.getSQL()}), message as (${message.getSQL()}), event as (${event.getSQL()})
    select parley_assert(exists (select from guarded), 'the conversation changed since it was read')
      and exists (select from message) and exists (select from event)`;
}

const writeIfUnchanged = {
  notifying: builtOnceCommand<GuardedWriteValues>('message_write_if_unchanged_notifying', (db, value) =>
    guardedWrite(db, value, 'notifying'),
  ),
  silent: builtOnceCommand<GuardedWriteValues>('message_write_if_unchanged_silent', (db, value) =>
    guardedWrite(db, value, 'silent'),
  ),
};
