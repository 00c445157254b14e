import { and, eq, sql } from 'drizzle-orm';
import { builtOnce, builtOncePerVariant } from '../../platform/db/built-once.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import {
  attachments,
  conversations,
  messages,
  type AttachmentRow,
  type ConversationRow,
  type MessageRow,
  type MessageStatus,
  type MessageType,
  type SenderType,
} from './conversations.tables.js';
import { messageCreated, type MessageSnapshot, type SenderSnapshot } from './conversations.events.js';
import { lockConversation, recordStatusChange } from './conversations.js';
import {
  contactSnapshotOf,
  conversationSnapshotOf,
  relationsOfRow,
  type ConversationRelations,
} from './conversation-snapshots.js';
import {
  attachmentSnapshotOf,
  contactSenderOf,
  loadSenderSnapshot,
  messageSnapshotFrom,
} from './message-snapshots.js';
import { fileTypeOf, type AttachmentInput } from './attachments.js';
import { messageColumns, messageValues, timestampValue, type MessageValues } from './message-columns.js';

export interface CreateMessageInput {
  accountId: number;
  /** The internal conversation id (not the display id). */
  conversationId: number;
  messageType: MessageType;
  content: string | null;
  contentType?: string;
  contentAttributes?: Record<string, unknown>;
  private?: boolean;
  status?: MessageStatus;
  /** The channel's id for the message: a redelivery with the same id in the inbox is stored once. */
  sourceId?: string | null;
  /** The client's id for the message: a retry with the same id in the conversation is stored once. */
  echoId?: string | null;
  sender: { type: SenderType; id: number } | null;
  attachments?: AttachmentInput[];
  additionalAttributes?: Record<string, unknown>;
  externalSourceIds?: Record<string, unknown>;
  /** When it was written, for messages imported after the fact (e.g. Dixa notes with createdAt). */
  createdAt?: Date;
  actor: Actor;
  /**
   * The conversation's row as the caller already locked it in this transaction
   * (`lockConversationForMessage`), saving the lock's read; absent, createMessage locks it.
   */
  lockedConversation?: ConversationRow;
  /**
   * What the message route's lock read with the conversation (`lockConversationForMessage`) and
   * the sender it read beside it: with them, a message that cannot be a duplicate and carries no
   * files is inserted, counted on its conversation and recorded in one round trip.
   */
  prepared?: PreparedMessage;
}

/** What a message's writes need read beforehand, so they can all be sent at once. */
export interface PreparedMessage {
  relations: ConversationRelations;
  /** An id drawn from the messages' sequence for this message. */
  messageId: number;
  /** The transaction's time, which the message's created_at and updated_at take. */
  now: Date;
  /** The user or bot sender's snapshot (null for none). */
  sender: SenderSnapshot | null;
}

export interface CreatedMessage {
  message: MessageRow;
  conversation: ConversationRow;
  isDuplicate: boolean;
  /** The new message's snapshot, as recorded in message.created (absent for a duplicate). */
  snapshot?: MessageSnapshot;
}

/**
 * Adds a message and keeps the conversation's counters in step, in the caller's transaction.
 * Idempotent: a message already stored under the same echo id (conversation) or source id
 * (inbox) is returned as it is, and nothing is written or emitted.
 */
export async function createMessage(tx: Db, input: CreateMessageInput): Promise<CreatedMessage> {
  const conversation =
    input.lockedConversation ?? (await lockConversation(tx, input.accountId, input.conversationId));
  const existing = await findDuplicate(tx, conversation, input);
  if (existing) return { message: existing, conversation, isDuplicate: true };
  assertHasBody(input);

  const senderContactId =
    input.messageType === 'incoming' && input.sender?.type === 'contact' ? input.sender.id : null;
  const { prepared } = input;
  if (prepared && isKnownBeforeWritten(input)) {
    return createPreparedMessage(tx, conversation, input, prepared);
  }

  // The conversation's relations do not change with a message, nor does a user or bot sender:
  // they are read beside the insert, in the same round trip (a transaction's queries are pipelined
  // when sent together). A contact sender's row comes back from its own update, below.
  const [[inserted], relations, sender] = await Promise.all([
    insertMessage('drawn', tx, messageValues(conversation, input)),
    prepared?.relations ?? relationsOfRow(tx, conversation),
    senderContactId !== null
      ? null
      : (prepared?.sender ?? loadSenderSnapshot(tx, input.accountId, input.sender)),
  ]);
  if (!inserted) {
    const winner = await findDuplicate(tx, conversation, input);
    if (winner) return { message: winner, conversation, isDuplicate: true };
    throw new DomainError('CONFLICT', 'The message conflicts with a message stored at the same time');
  }
  let attachmentRows: AttachmentRow[] = [];
  if (input.attachments?.length) {
    attachmentRows = await tx
      .insert(attachments)
      .values(
        input.attachments.map((attachment) => ({
          accountId: input.accountId,
          messageId: inserted.id,
          fileType: attachment.fileType ?? fileTypeOf(attachment.contentType),
          blobKey: attachment.blobKey ?? null,
          externalUrl: attachment.externalUrl ?? null,
          fileName: attachment.fileName ?? null,
          contentType: attachment.contentType ?? null,
          byteSize: attachment.byteSize ?? null,
          coordinates: attachment.coordinates ?? null,
        })),
      )
      .returning();
  }
  // The message's snapshot is built from the rows just written.
  const snapshotWith = (senderSnapshot: SenderSnapshot | null) =>
    messageSnapshotFrom(
      inserted,
      conversation.displayId,
      senderSnapshot,
      [...attachmentRows].sort((a, b) => a.id - b.id).map(attachmentSnapshotOf),
    );

  let updated: ConversationRow;
  let snapshot: MessageSnapshot;
  if (senderContactId === null) {
    // Everything the event shows is known before the conversation's update returns (the update
    // writes what `messageActivity` computed), so the event is written in the same round trip.
    snapshot = snapshotWith(sender);
    const activity = messageActivity(conversation, inserted);
    [updated] = await Promise.all([
      activity ? writeActivity(tx, activity.values) : conversation,
      recordCreated(tx, input, snapshot, activity?.after ?? conversation, relations),
    ]);
  } else {
    const [afterMessage, senderContacts] = await Promise.all([
      applyToConversation(tx, conversation, inserted),
      tx
        .update(contacts)
        .set({ lastActivityAt: inserted.createdAt })
        .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, senderContactId)))
        .returning(),
    ]);
    updated = afterMessage;
    const [senderContact] = senderContacts;
    snapshot = snapshotWith(senderContact ? contactSenderOf(senderContact) : null);
    const related =
      senderContact?.id === relations.contact.id
        ? { ...relations, contact: contactSnapshotOf(senderContact) }
        : relations;
    await recordCreated(tx, input, snapshot, updated, related);
  }
  if (updated.status !== conversation.status) {
    await recordStatusChange(tx, updated, conversation.status, input.actor);
  }
  return { message: inserted, conversation: updated, isDuplicate: false, snapshot };
}

/**
 * createMessage for a message whose row is known before it is written (see `PreparedMessage`):
 * the insert, the conversation's update and the event go in one round trip.
 */
/**
 * A message without an echo or source id cannot meet a duplicate, so its insert cannot come back
 * empty; without files, and with no contact to touch, its row is known from the values and the
 * drawn id before it is written.
 */
export function isKnownBeforeWritten(input: CreateMessageInput): boolean {
  const hasContactSender = input.messageType === 'incoming' && input.sender?.type === 'contact';
  return !hasContactSender && !input.echoId && !input.sourceId && !input.attachments?.length;
}

/** The rows a prepared message will write, before it writes them. */
export function expectedWrites(
  conversation: ConversationRow,
  input: CreateMessageInput,
  prepared: PreparedMessage,
) {
  const values = { ...messageValues(conversation, input), id: prepared.messageId };
  const expected: ExpectedMessageRow = {
    ...values,
    createdAt: input.createdAt ?? prepared.now,
    updatedAt: prepared.now,
    deletedAt: null,
  };
  const snapshot = messageSnapshotFrom(expected, conversation.displayId, prepared.sender, []);
  return { values, expected, snapshot, activity: messageActivity(conversation, expected) };
}

async function createPreparedMessage(
  tx: Db,
  conversation: ConversationRow,
  input: CreateMessageInput,
  prepared: PreparedMessage,
): Promise<CreatedMessage> {
  const { values, snapshot, activity } = expectedWrites(conversation, input, prepared);
  const [[inserted], updated] = await Promise.all([
    insertMessage('given', tx, values),
    activity ? writeActivity(tx, activity.values) : conversation,
    recordCreated(tx, input, snapshot, activity?.after ?? conversation, prepared.relations),
  ]);
  if (!inserted) throw new Error(`message ${prepared.messageId} was not inserted`);
  if (updated.status !== conversation.status) {
    await recordStatusChange(tx, updated, conversation.status, input.actor);
  }
  return { message: inserted, conversation: updated, isDuplicate: false, snapshot };
}

/** A message's row as its insert will return it, but for what the snapshot has no use for. */
type ExpectedMessageRow = Omit<MessageRow, 'contentTsv' | 'uuid'>;

function recordCreated(
  tx: Db,
  input: CreateMessageInput,
  snapshot: MessageSnapshot,
  after: ConversationRow,
  relations: ConversationRelations,
): Promise<void> {
  return recordEvent(tx, messageCreated, {
    accountId: input.accountId,
    aggregateId: snapshot.id,
    payload: { message: snapshot, conversation: conversationSnapshotOf(after, relations) },
    actor: input.actor,
  });
}

async function findDuplicate(
  tx: Db,
  conversation: ConversationRow,
  input: Pick<CreateMessageInput, 'echoId' | 'sourceId' | 'accountId'>,
): Promise<MessageRow | null> {
  if (input.echoId) {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.accountId, input.accountId),
          eq(messages.conversationId, conversation.id),
          eq(messages.echoId, input.echoId),
        ),
      );
    if (row) return row;
  }
  if (input.sourceId) {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.accountId, input.accountId),
          eq(messages.inboxId, conversation.inboxId),
          eq(messages.sourceId, input.sourceId),
        ),
      );
    if (row) return row;
  }
  return null;
}

export function assertHasBody(input: CreateMessageInput): void {
  const hasContent = input.content !== null && input.content.trim() !== '';
  const hasStructure = (input.contentType ?? 'text') !== 'text';
  if (hasContent || hasStructure || (input.attachments?.length ?? 0) > 0) return;
  throw new DomainError('VALIDATION_FAILED', 'A message needs content or attachments', [
    { path: 'content', message: "can't be blank" },
  ]);
}

/** Whether an outgoing message is a person's public reply (bots, notes and templates are not). */
function isHumanReply(message: ExpectedMessageRow): boolean {
  return message.messageType === 'outgoing' && !message.isPrivate && message.senderType !== 'agent_bot';
}

/**
 * What a message changes on its conversation (nothing for an activity line: assignments and
 * status changes are history, not conversation activity), and the row as the change leaves it:
 * the update sets `updated_at` to the transaction's time, which the message's row also holds.
 */
function messageActivity(
  conversation: ConversationRow,
  message: ExpectedMessageRow,
): { values: MessageActivityValues; after: ConversationRow } | null {
  if (message.messageType === 'activity') return null;
  const isIncoming = message.messageType === 'incoming' && !message.isPrivate;
  let { unreadCount, waitingSince, status, snoozedUntil, firstReplyCreatedAt } = conversation;
  if (isIncoming) {
    // The row is locked, so read-then-write cannot lose an increment.
    unreadCount += 1;
    waitingSince ??= message.createdAt;
    // As in Chatwoot: a contact writing again reopens a resolved or snoozed conversation, unless
    // it was muted (a muted conversation stays resolved).
    if (status === 'snoozed' || (status === 'resolved' && !conversation.muted)) {
      status = 'open';
      snoozedUntil = null;
    }
  }
  if (isHumanReply(message)) {
    waitingSince = null;
    firstReplyCreatedAt ??= message.createdAt;
  }
  return {
    values: {
      accountId: conversation.accountId,
      id: conversation.id,
      lastActivityAt: message.createdAt.toISOString(),
      lastNonActivityMessageId: message.id,
      unreadCount,
      waitingSince: waitingSince?.toISOString() ?? null,
      status,
      snoozedUntil: snoozedUntil?.toISOString() ?? null,
      firstReplyCreatedAt: firstReplyCreatedAt?.toISOString() ?? null,
    },
    after: {
      ...conversation,
      lastActivityAt: message.createdAt,
      lastNonActivityMessageId: message.id,
      unreadCount,
      waitingSince,
      status,
      snoozedUntil,
      firstReplyCreatedAt,
      updatedAt: message.updatedAt,
    },
  };
}

async function writeActivity(tx: Db, values: MessageActivityValues): Promise<ConversationRow> {
  const [updated] = await writeMessageActivity(tx, values);
  if (!updated) throw notFound('Conversation');
  return updated;
}

async function applyToConversation(
  tx: Db,
  conversation: ConversationRow,
  message: MessageRow,
): Promise<ConversationRow> {
  const activity = messageActivity(conversation, message);
  return activity ? writeActivity(tx, activity.values) : conversation;
}

/**
 * Every message is this statement, built once per variant (see `builtOncePerVariant`): its id
 * drawn by the insert, or given (drawn beforehand by the route's lock). A concurrent delivery of
 * the same source id in another conversation of the inbox wins the race: no row comes back.
 */
const insertMessage = builtOncePerVariant<MessageRow, MessageValues, 'drawn' | 'given'>(
  (variant) => `message_insert_${variant}`,
  (db, value, variant) => {
    const columns = {
      ...messageColumns(value),
      createdAt: sql`coalesce(${timestampValue(value('createdAt'))}, now())`,
    };
    return variant === 'given'
      ? db
          .insert(messages)
          .overridingSystemValue()
          .values({ ...columns, id: value('id') })
          .onConflictDoNothing()
          .returning()
      : db.insert(messages).values(columns).onConflictDoNothing().returning();
  },
);

export interface MessageActivityValues extends Record<string, unknown> {
  accountId: number;
  id: number;
  lastActivityAt: string;
  lastNonActivityMessageId: number;
  unreadCount: number;
  waitingSince: string | null;
  status: ConversationRow['status'];
  snoozedUntil: string | null;
  firstReplyCreatedAt: string | null;
}

/**
 * What a message changes on its conversation, as one statement of one shape, built once: columns
 * a message leaves alone are written with the values the locked row holds.
 */
const writeMessageActivity = builtOnce<ConversationRow, MessageActivityValues>(
  'conversation_message_activity',
  (db, value) =>
    db
      .update(conversations)
      .set({
        lastActivityAt: timestampValue(value('lastActivityAt')),
        // Update sets take a placeholder only inside SQL (Drizzle's types).
        lastNonActivityMessageId: sql`${value('lastNonActivityMessageId')}`,
        unreadCount: sql`${value('unreadCount')}`,
        waitingSince: timestampValue(value('waitingSince')),
        status: sql`${value('status')}`,
        snoozedUntil: timestampValue(value('snoozedUntil')),
        firstReplyCreatedAt: timestampValue(value('firstReplyCreatedAt')),
        updatedAt: sql`now()`,
      })
      .where(and(eq(conversations.accountId, value('accountId')), eq(conversations.id, value('id'))))
      .returning(),
);
