import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The outbox: domain events written in the same transaction as the change that caused them.
 * The relay dispatches rows with dispatched_at null in id order.
 */
export const events = pgTable(
  'events',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    type: text('type').notNull(),
    version: integer('version').notNull().default(1),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    actor: jsonb('actor').$type<Record<string, unknown> | null>(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    index('events_pending_idx')
      .on(table.id)
      .where(sql`${table.dispatchedAt} IS NULL`),
    index('events_aggregate_idx').on(table.accountId, table.aggregateType, table.aggregateId, table.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
