import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/**
 * An automated responder bound to inboxes: it receives their events at `outgoingUrl` and replies
 * through the API with its own token. A bot without an account was made by the platform and can
 * be bound to inboxes of any account.
 */
export const agentBots = pgTable(
  'agent_bots',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, {
      onDelete: 'cascade',
    }),
    name: text('name').notNull(),
    description: text('description'),
    outgoingUrl: text('outgoing_url'),
    avatarUrl: text('avatar_url'),
    botType: text('bot_type', { enum: ['webhook'] })
      .notNull()
      .default('webhook'),
    botConfig: jsonb('bot_config').$type<Record<string, unknown>>().notNull().default({}),
    /** Created through the platform API; only the platform may change it. */
    isPlatformOwned: boolean('is_platform_owned').notNull().default(false),
    /** SHA-256 of the bot's token (`abt_…`); the token itself is shown once. */
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    /** Secret the bot's webhook deliveries are signed with. */
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('agent_bots_account_idx').on(table.accountId, table.id),
    uniqueIndex('agent_bots_token_hash_key').on(table.tokenHash),
  ],
);

export type AgentBotRow = typeof agentBots.$inferSelect;
