import {
  bigint,
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';

/**
 * An account's use of an integration app (Chatwoot's `Integrations::Hook`). A webhook hook owns
 * one webhook subscription, which holds its URL, events and secret: deliveries go through the
 * shared webhook engine, and deleting the subscription elsewhere removes the hook with it.
 */
export const integrationHooks = pgTable(
  'integration_hooks',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    appId: text('app_id').notNull(),
    inboxId: bigint('inbox_id', { mode: 'number' }),
    isEnabled: boolean('is_enabled').notNull().default(true),
    /** Settings of apps whose state is not kept elsewhere; a webhook's live in its subscription. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    subscriptionId: bigint('subscription_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('integration_hooks_app_idx').on(table.accountId, table.appId, table.id),
    foreignKey({
      columns: [table.accountId, table.subscriptionId],
      foreignColumns: [webhookSubscriptions.accountId, webhookSubscriptions.id],
    }).onDelete('cascade'),
  ],
);

export type IntegrationHookRow = typeof integrationHooks.$inferSelect;
