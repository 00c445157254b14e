import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { conversations, messages } from '../conversations/conversations.tables.js';
import { accounts } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';

export const smsDirections = ['IN', 'OUT'] as const;
export const smsStatuses = [
  'CREATED',
  'ERROR',
  'EXPIRED',
  'FAILED',
  'PENDING',
  'RECEIVED',
  'REMOTE_QUEUED',
  'SENT',
] as const;
export const smsEncodings = ['GSM', 'UNICODE'] as const;
export const smsNatures = ['ALERTING', 'MARKETING'] as const;

/**
 * Every SMS an account sent or received. The text also lives as a message in the account's SMS
 * inbox (conversation per correspondent), so agents see it; this row carries what a carrier
 * knows: encoding, parts, delivery status, the provider's reference and the charge.
 */
export const smsMessages = pgTable(
  'sms_messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: smsDirections }).notNull(),
    /** E.164 number, alphanumeric sender id, or "SMS" for the shared default sender. */
    sender: text('sender').notNull(),
    /** E.164. */
    recipient: text('recipient').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: smsStatuses }).notNull(),
    statusError: text('status_error'),
    encoding: text('encoding', { enum: smsEncodings }).notNull(),
    parts: integer('parts').notNull(),
    nature: text('nature', { enum: smsNatures }).notNull().default('ALERTING'),
    userData: text('user_data'),
    /** SMS.Options as the sender gave them (flash_message, force_encoding, nature, user_data, webhook). */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** What the account was charged, in cents (billing rates may have fractions of a cent). */
    debitCents: numeric('debit_cents', { precision: 14, scale: 4, mode: 'number' }).notNull().default(0),
    /** The provider that carries it ("simulator" unless one is configured). */
    provider: text('provider').notNull(),
    /** The provider's id for it: delivery reports and inbound redeliveries are matched on it. */
    providerRef: text('provider_ref'),
    inboxId: bigint('inbox_id', { mode: 'number' }).references(() => inboxes.id, { onDelete: 'set null' }),
    conversationId: bigint('conversation_id', { mode: 'number' }).references(() => conversations.id, {
      onDelete: 'set null',
    }),
    messageId: bigint('message_id', { mode: 'number' }).references(() => messages.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** OUT: when the provider accepted it. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** IN: when it arrived; OUT: when the handset's delivery receipt came. */
    receivedAt: timestamp('received_at', { withTimezone: true }),
  },
  (table) => [
    index('sms_messages_account_list_idx').on(table.accountId, table.direction, table.createdAt, table.id),
    uniqueIndex('sms_messages_provider_ref_key')
      .on(table.provider, table.providerRef)
      .where(sql`${table.providerRef} IS NOT NULL`),
    index('sms_messages_message_idx')
      .on(table.messageId)
      .where(sql`${table.messageId} IS NOT NULL`),
  ],
);

/** An account's SMS settings (sms.get_settings / sms.set_settings), one JSON object per account. */
export const smsSettings = pgTable('sms_settings', {
  accountId: bigint('account_id', { mode: 'number' })
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type SmsRow = typeof smsMessages.$inferSelect;
