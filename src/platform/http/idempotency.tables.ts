import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Where a request made under an Idempotency-Key stands. */
export const idempotencyStates = ['in_flight', 'committed', 'completed'] as const;
export type IdempotencyState = (typeof idempotencyStates)[number];

/**
 * One Idempotency-Key per principal (account, user, platform, bot): the request it was first used
 * with (a fingerprint) and, once answered, the response to replay. `committed` marks that the
 * request's write transaction committed (it is set inside that transaction) before the response
 * was stored. `lock_token` names the attempt that owns the key: only it may commit or answer.
 * Not a tenant table: a user's or the platform's keys belong to no account.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    state: text('state', { enum: idempotencyStates }).notNull(),
    lockToken: text('lock_token').notNull(),
    lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer('response_status'),
    responseContentType: text('response_content_type'),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    index('idempotency_keys_created_at_idx').on(table.createdAt),
  ],
);

export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
