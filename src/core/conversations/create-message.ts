import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts, type ContactRow } from '../contacts/contacts.tables.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
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
import { messageCreated, type MessageSnapshot } from './conversations.events.js';
import { lockConversation, recordStatusChange, writeConversation } from './conversations.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import { messageSnapshotOf } from './message-snapshots.js';
import { fileTypeOf, type AttachmentInput } from './attachments.js';

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
   * (`lockConversationByDisplayId`), saving the lock's read; absent, createMessage locks it.
   */
  lockedConversation?: ConversationRow;
}

export interface CreatedMessage {
  message: MessageRow;
  conversation: ConversationRow;
  isDuplicate: boolean;
  /** The new message's snapshot, as recorded in message.created (absent for a duplicate). */
  snapshot?: MessageSnapshot;
}

/**
 * Reads a conversation by display id under the row lock createMessage needs, so a route that
 * resolves the path and then writes takes one statement for both. With `memberUserId`, also says
 * whether that user is a member of the conversation's inbox (the Chatwoot agent check).
 */
export async function lockConversationByDisplayId(
  tx: Db,
  accountId: number,
  displayId: number,
  memberUserId: number | null = null,
): Promise<{ conversation: ConversationRow; isInboxMember: boolean }> {
  const isMember =
    memberUserId === null
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from ${inboxMembers} where ${inboxMembers.accountId} = ${accountId} and ${inboxMembers.inboxId} = ${conversations.inboxId} and ${inboxMembers.userId} = ${memberUserId})`;
  const [row] = await tx
    .select({ conversation: conversations, isInboxMember: isMember })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)))
    .for('no key update', { of: conversations });
  if (!row) throw notFound('Conversation');
  return row;
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

  const [inserted] = await tx
    .insert(messages)
    .values({
      accountId: input.accountId,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      messageType: input.messageType,
      content: input.content,
      contentType: input.contentType ?? 'text',
      contentAttributes: input.contentAttributes ?? {},
      isPrivate: input.private ?? false,
      status: input.status ?? 'sent',
      sourceId: input.sourceId ?? null,
      echoId: input.echoId ?? null,
      senderType: input.sender?.type ?? null,
      senderId: input.sender?.id ?? null,
      additionalAttributes: input.additionalAttributes ?? {},
      externalSourceIds: input.externalSourceIds ?? {},
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    // A concurrent delivery of the same source id in another conversation of the inbox wins the race.
    .onConflictDoNothing()
    .returning();
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

  const updated = await applyToConversation(tx, conversation, inserted);
  let senderContacts: ContactRow[] = [];
  if (
    inserted.messageType === 'incoming' &&
    inserted.senderType === 'contact' &&
    inserted.senderId !== null
  ) {
    // The updated row is also the sender's snapshot: no second read of the contact.
    senderContacts = await tx
      .update(contacts)
      .set({ lastActivityAt: inserted.createdAt })
      .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, inserted.senderId)))
      .returning();
  }
  // Built from the rows just written: only the sender (a user or bot) and the conversation's
  // relations are read.
  const [snapshot, conversationSnapshot] = await Promise.all([
    messageSnapshotOf(tx, inserted, {
      conversationDisplayId: conversation.displayId,
      attachments: attachmentRows,
      contacts: senderContacts,
    }),
    snapshotOfRow(tx, updated),
  ]);
  await recordEvent(tx, messageCreated, {
    accountId: input.accountId,
    aggregateId: inserted.id,
    payload: { message: snapshot, conversation: conversationSnapshot },
    actor: input.actor,
  });
  if (updated.status !== conversation.status) {
    await recordStatusChange(tx, updated, conversation.status, input.actor);
  }
  return { message: inserted, conversation: updated, isDuplicate: false, snapshot };
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

function assertHasBody(input: CreateMessageInput): void {
  const hasContent = input.content !== null && input.content.trim() !== '';
  const hasStructure = (input.contentType ?? 'text') !== 'text';
  if (hasContent || hasStructure || (input.attachments?.length ?? 0) > 0) return;
  throw new DomainError('VALIDATION_FAILED', 'A message needs content or attachments', [
    { path: 'content', message: "can't be blank" },
  ]);
}

/** Whether an outgoing message is a person's public reply (bots, notes and templates are not). */
function isHumanReply(message: MessageRow): boolean {
  return message.messageType === 'outgoing' && !message.isPrivate && message.senderType !== 'agent_bot';
}

async function applyToConversation(
  tx: Db,
  conversation: ConversationRow,
  message: MessageRow,
): Promise<ConversationRow> {
  // Activity lines (assignments, status changes) are history, not conversation activity.
  if (message.messageType === 'activity') return conversation;
  const isIncoming = message.messageType === 'incoming' && !message.isPrivate;
  const patch: Parameters<typeof writeConversation>[2] = {
    lastActivityAt: message.createdAt,
    lastNonActivityMessageId: message.id,
  };
  if (isIncoming) {
    // The row is locked, so read-then-write cannot lose an increment.
    patch.unreadCount = conversation.unreadCount + 1;
    if (conversation.waitingSince === null) patch.waitingSince = message.createdAt;
    // As in Chatwoot: a contact writing again reopens a resolved or snoozed conversation, unless
    // it was muted (a muted conversation stays resolved).
    const reopens =
      conversation.status === 'snoozed' || (conversation.status === 'resolved' && !conversation.muted);
    if (reopens) {
      patch.status = 'open';
      patch.snoozedUntil = null;
    }
  }
  if (isHumanReply(message)) {
    patch.waitingSince = null;
    if (conversation.firstReplyCreatedAt === null) patch.firstReplyCreatedAt = message.createdAt;
  }
  return writeConversation(tx, conversation, patch);
}
