import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import type { RuleAction, RuleCondition } from './rule-definition.js';

/** An account's automation rule: when `eventName` happens and `conditions` hold, run `actions`. */
export const automationRules = pgTable(
  'automation_rules',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    eventName: text('event_name').notNull(),
    conditions: jsonb('conditions').$type<RuleCondition[]>().notNull().default([]),
    actions: jsonb('actions').$type<RuleAction[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    // The engine's lookup: an account's rules for the events of one batch.
    index('automation_rules_event_idx').on(table.accountId, table.eventName),
  ],
);

export type AutomationRuleRow = typeof automationRules.$inferSelect;
