import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const emailStatuses = ['queued', 'sent', 'failed'] as const;
export type EmailStatus = (typeof emailStatuses)[number];

/**
 * Every email Parley sends, written with the change that asked for it and sent by a job. Without
 * SMTP configured this table is the mailbox: the local transport marks the row sent and keeps it.
 */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    status: text('status', { enum: emailStatuses }).notNull().default('queued'),
    /** `smtp` or `local`, once sent. */
    transport: text('transport'),
    /** What asked for it, e.g. `automation_rule:12`. */
    origin: text('origin'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('outbound_emails_created_idx').on(table.accountId, table.createdAt),
  ],
);

export type OutboundEmailRow = typeof outboundEmails.$inferSelect;
