import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import {
  notifyAfterStatement,
  sendsNotificationsAfterCommit,
} from '../../platform/db/notify-after-commit.js';
import { EVENTS_CHANNEL, eventInsert } from '../../platform/events/outbox.js';
import { conversations, messages, type ConversationRow } from './conversations.tables.js';
import { messageCreated, type MessageSnapshot } from './conversations.events.js';
import { conversationSnapshotOf } from './conversation-snapshots.js';
import {
  assertHasBody,
  expectedWrites,
  isKnownBeforeWritten,
  type CreateMessageInput,
  type PreparedMessage,
} from './create-message.js';

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
  const { after } = activity;
  const guardedUpdate = db
    .update(conversations)
    .set({
      lastActivityAt: after.lastActivityAt,
      lastNonActivityMessageId: after.lastNonActivityMessageId,
      unreadCount: after.unreadCount,
      waitingSince: after.waitingSince,
      snoozedUntil: after.snoozedUntil,
      firstReplyCreatedAt: after.firstReplyCreatedAt,
      updatedAt: after.updatedAt,
    })
    .where(
      and(
        eq(conversations.accountId, conversation.accountId),
        eq(conversations.id, conversation.id),
        sql`${conversations}.xmin = ${read.version}::xid`,
      ),
    )
    .returning({ id: conversations.id });
  const insert = db
    .insert(messages)
    .overridingSystemValue()
    .values({ ...values, createdAt: expected.createdAt, updatedAt: expected.updatedAt })
    .returning({ id: messages.id });
  const notifiesLater = sendsNotificationsAfterCommit(db);
  const event = eventInsert(
    db,
    messageCreated,
    {
      accountId: input.accountId,
      aggregateId: snapshot.id,
      payload: { message: snapshot, conversation: conversationSnapshotOf(after, input.prepared.relations) },
      actor: input.actor,
    },
    notifiesLater ? 'silent' : 'notifying',
  );
  try {
    await db.execute(sql`with guarded as (${guardedUpdate.getSQL()}), message as (${insert.getSQL()}), event as (${event.getSQL()})
      select parley_assert(exists (select from guarded), 'the conversation changed since it was read')
        and exists (select from message) and exists (select from event)`);
  } catch (error) {
    if (sqlStateOf(error) === 'PX001') return null;
    throw error;
  }
  if (notifiesLater) notifyAfterStatement(db, EVENTS_CHANNEL);
  return snapshot;
}
