import { bigint, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';

/** IP addresses an account refuses end-user writes from (Dixa's "ban IP"). */
export const bannedIps = pgTable(
  'banned_ips',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    /** Normalized text form (`normalizeIp`), so one address has one spelling. */
    ipAddress: text('ip_address').notNull(),
    bannedByUserId: bigint('banned_by_user_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('banned_ips_account_ip_key').on(table.accountId, table.ipAddress),
    foreignKey({ columns: [table.bannedByUserId], foreignColumns: [users.id] }).onDelete('set null'),
  ],
);

export type BannedIpRow = typeof bannedIps.$inferSelect;
