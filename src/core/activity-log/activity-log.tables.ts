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
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import type { ActivityType } from './activity-types.js';

export const activityAuthorTypes = ['agent', 'end_user'] as const;
export type ActivityAuthorType = (typeof activityAuthorTypes)[number];

/**
 * What happened in a conversation, one row per activity, written by an event consumer from the
 * outbox. Rows keep internal ids (users, contacts, messages) and resolve names on read, so a
 * rename or an anonymization shows in the log too. `(source_event_id, source_index)` makes the
 * consumer idempotent: one event may yield several activities (two tags added at once).
 */
export const activityLog = pgTable(
  'activity_log',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    activityType: text('activity_type').$type<ActivityType>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    authorType: text('author_type', { enum: activityAuthorTypes }),
    authorId: bigint('author_id', { mode: 'number' }),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    sourceEventId: bigint('source_event_id', { mode: 'number' }).notNull(),
    sourceIndex: integer('source_index').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('activity_log_uuid_key').on(table.uuid),
    uniqueIndex('activity_log_source_key').on(table.accountId, table.sourceEventId, table.sourceIndex),
    index('activity_log_conversation_idx').on(
      table.accountId,
      table.conversationId,
      table.occurredAt,
      table.id,
    ),
    index('activity_log_account_time_idx').on(table.accountId, table.occurredAt, table.id),
  ],
);

export type ActivityLogRow = typeof activityLog.$inferSelect;
export type NewActivityLogRow = typeof activityLog.$inferInsert;
