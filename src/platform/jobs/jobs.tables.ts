import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const jobStates = ['queued', 'running', 'retrying', 'completed', 'dead', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

/** Durable jobs. Workers claim due rows with FOR UPDATE SKIP LOCKED and hold them by lease. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' }),
    name: text('name').notNull(),
    queue: text('queue').notNull().default('default'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: jobStates }).notNull().default('queued'),
    priority: integer('priority').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(10),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    leaseToken: uuid('lease_token'),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** Jobs with the same key are not enqueued twice while one is pending. */
    dedupeKey: text('dedupe_key'),
    /** Jobs sharing a key (one webhook endpoint) run at most `concurrencyLimit` at a time. */
    concurrencyKey: text('concurrency_key'),
    concurrencyLimit: integer('concurrency_limit'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('jobs_due_idx')
      .on(table.queue, table.priority.desc().nullsFirst(), table.runAt, table.id)
      .where(sql`${table.state} IN ('queued', 'retrying')`),
    index('jobs_concurrency_key_idx')
      .on(table.concurrencyKey, table.state)
      .where(
        sql`${table.concurrencyKey} IS NOT NULL AND ${table.state} IN ('queued', 'retrying', 'running')`,
      ),
    index('jobs_running_idx')
      .on(table.lockedUntil)
      .where(sql`${table.state} = 'running'`),
    index('jobs_account_idx').on(table.accountId, table.id),
    index('jobs_dedupe_idx')
      .on(table.name, table.dedupeKey)
      .where(sql`${table.dedupeKey} IS NOT NULL AND ${table.state} IN ('queued', 'retrying', 'running')`),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
