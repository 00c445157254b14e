import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';

export const customFilterTypes = ['conversation', 'contact', 'report'] as const;
export type CustomFilterType = (typeof customFilterTypes)[number];

/** A saved query (the filter endpoints' payload) a user keeps for a list. */
export const customFilters = pgTable(
  'custom_filters',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The owner; null when an account API key saved it (shared by the account). */
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    filterType: text('filter_type', { enum: customFilterTypes }).notNull(),
    query: jsonb('query').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('custom_filters_account_idx').on(table.accountId, table.filterType, table.id)],
);

export type CustomFilterRow = typeof customFilters.$inferSelect;
