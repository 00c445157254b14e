import { bigint, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './identity.tables.js';

/**
 * Single-use sign-in links a platform hands to its users (Chatwoot's SSO login URL). Only the
 * hash is stored; a token works once and for ten minutes.
 */
export const ssoLoginTokens = pgTable(
  'sso_login_tokens',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('sso_login_tokens_hash_key').on(table.tokenHash),
    index('sso_login_tokens_user_idx').on(table.userId),
  ],
);
