import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const auditActions = ['create', 'update', 'destroy'] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * One administrative change, in the shape of the `audited` gem Chatwoot uses: what changed
 * (auditable), how (action and changes), who (user), and the running version per auditable.
 * Written from the outbox, one row per event at most (`source_event_id`).
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    auditableType: text('auditable_type').notNull(),
    auditableId: bigint('auditable_id', { mode: 'number' }).notNull(),
    action: text('action', { enum: auditActions }).notNull(),
    userType: text('user_type'),
    userId: bigint('user_id', { mode: 'number' }),
    username: text('username'),
    auditedChanges: jsonb('audited_changes').$type<Record<string, unknown>>().notNull(),
    /** The auditable's known state after this change: the base the next update is diffed against. */
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    version: integer('version').notNull(),
    comment: text('comment'),
    remoteAddress: text('remote_address'),
    requestUuid: text('request_uuid'),
    sourceEventId: bigint('source_event_id', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('audit_logs_source_event_key').on(table.accountId, table.sourceEventId),
    index('audit_logs_auditable_idx').on(
      table.accountId,
      table.auditableType,
      table.auditableId,
      table.version,
    ),
  ],
);

export type AuditLogRow = typeof auditLogs.$inferSelect;
export type NewAuditLogRow = typeof auditLogs.$inferInsert;
