import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { conversations } from '../conversations/conversations.tables.js';

/** Chatwoot's states: a draft waits for its author; a pending one for its time. */
export const scheduledMessageStatuses = ['draft', 'pending', 'sent', 'failed'] as const;
export type ScheduledMessageStatus = (typeof scheduledMessageStatuses)[number];

export const scheduledMessageAuthorTypes = ['user', 'agent_bot'] as const;
export type ScheduledMessageAuthorType = (typeof scheduledMessageAuthorTypes)[number];

/** The one file a scheduled message carries, already in blob storage; it becomes the message's attachment. */
export interface ScheduledAttachment {
  blobKey: string;
  fileName: string;
  contentType: string | null;
  byteSize: number | null;
}

/**
 * A message written now and sent later by the `scheduled_messages.send` job. `messageId` is the
 * message it became: set in the same transaction that created it, so a row is sent at most once.
 */
export const scheduledMessages = pgTable(
  'scheduled_messages',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    content: text('content').notNull().default(''),
    status: text('status', { enum: scheduledMessageStatuses }).notNull().default('draft'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    templateParams: jsonb('template_params').$type<Record<string, unknown>>().notNull().default({}),
    attachment: jsonb('attachment').$type<ScheduledAttachment>(),
    authorType: text('author_type', { enum: scheduledMessageAuthorTypes }),
    authorId: bigint('author_id', { mode: 'number' }),
    /** The pending send job, cancelled when the message is rescheduled, drafted or deleted. */
    jobId: bigint('job_id', { mode: 'number' }),
    messageId: bigint('message_id', { mode: 'number' }),
    failureReason: text('failure_reason'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('scheduled_messages_conversation_idx').on(table.accountId, table.conversationId, table.id),
  ],
);

export type ScheduledMessageRow = typeof scheduledMessages.$inferSelect;
