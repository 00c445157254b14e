import { bigint, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** What an authorized CLI may present: a caller id on calls, or a sender on SMS. */
export const authorizedCliTypes = ['VOICE', 'SMS'] as const;
export type AuthorizedCliType = (typeof authorizedCliTypes)[number];

/**
 * Numbers (or SMS sender names) the operator has verified for an account beyond its own DIDs
 * (CALLR's `Customer.CLI`): a call may present them as its CLI, an SMS may use them as sender.
 */
export const authorizedClis = pgTable(
  'authorized_clis',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    type: text('type', { enum: authorizedCliTypes }).notNull(),
    /** E.164 for VOICE; an E.164 number or an alphanumeric sender for SMS. */
    cli: text('cli').notNull(),
    label: text('label').notNull().default(''),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('authorized_clis_account_type_cli_idx').on(table.accountId, table.type, table.cli)],
);

export type AuthorizedCliRow = typeof authorizedClis.$inferSelect;
