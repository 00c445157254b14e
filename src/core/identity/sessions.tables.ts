import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, apiKeys, users } from './identity.tables.js';

/**
 * Expiring session tokens (CALLR's `Authentication.Session`), opened by a user or an API key of an
 * account. Only SHA-256 digests of the token and of its refresh token are kept. A refresh replaces
 * both digests in place, so the row is the session for its whole life. Revoking the API key (or
 * deleting the user) ends its sessions.
 */
export const apiSessions = pgTable(
  'api_sessions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'cascade' }),
    apiKeyId: bigint('api_key_id', { mode: 'number' }),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    refreshTokenHash: text('refresh_token_hash').notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
    refreshableUntil: timestamp('refreshable_until', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('api_sessions_token_key').on(table.tokenHash),
    uniqueIndex('api_sessions_refresh_token_key').on(table.refreshTokenHash),
    index('api_sessions_account_idx').on(table.accountId, table.id),
    // Maintenance purges sessions no refresh can revive.
    index('api_sessions_refreshable_idx').on(table.refreshableUntil),
    foreignKey({
      name: 'api_sessions_api_key_fk',
      columns: [table.accountId, table.apiKeyId],
      foreignColumns: [apiKeys.accountId, apiKeys.id],
    }).onDelete('cascade'),
    check('api_sessions_one_owner', sql`(${table.userId} IS NULL) <> (${table.apiKeyId} IS NULL)`),
  ],
);

export type ApiSessionRow = typeof apiSessions.$inferSelect;
