import { sql, type Placeholder } from 'drizzle-orm';
import type { ConversationRow, MessageStatus, MessageType, SenderType } from './conversations.tables.js';
import type { CreateMessageInput } from './create-message.js';

/** Nullable dates go in as text: Drizzle's date encoder, which a placeholder runs through, rejects null. */
export const timestampValue = (value: Placeholder) => sql`${value}::timestamptz`;

export interface MessageValues extends Record<string, unknown> {
  /** Only for the insert whose id is given (see `insertMessage`). */
  id?: number;
  accountId: number;
  conversationId: number;
  inboxId: number;
  messageType: MessageType;
  content: string | null;
  contentType: string;
  contentAttributes: Record<string, unknown>;
  isPrivate: boolean;
  status: MessageStatus;
  sourceId: string | null;
  echoId: string | null;
  senderType: SenderType | null;
  senderId: number | null;
  additionalAttributes: Record<string, unknown>;
  externalSourceIds: Record<string, unknown>;
  createdAt: string | null;
}

export function messageValues(conversation: ConversationRow, input: CreateMessageInput): MessageValues {
  return {
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
    createdAt: input.createdAt?.toISOString() ?? null,
  };
}

/** A message's columns as placeholders, but for its id and times, which each insert sets its own way. */
export function messageColumns(value: (name: keyof MessageValues & string) => Placeholder) {
  return {
    accountId: value('accountId'),
    conversationId: value('conversationId'),
    inboxId: value('inboxId'),
    messageType: value('messageType'),
    content: value('content'),
    contentType: value('contentType'),
    contentAttributes: value('contentAttributes'),
    isPrivate: value('isPrivate'),
    status: value('status'),
    sourceId: value('sourceId'),
    echoId: value('echoId'),
    senderType: value('senderType'),
    senderId: value('senderId'),
    additionalAttributes: value('additionalAttributes'),
    externalSourceIds: value('externalSourceIds'),
  };
}
