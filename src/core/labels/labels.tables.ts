import { sql } from 'drizzle-orm';
import { bigint, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const labelStates = ['active', 'inactive'] as const;
export type LabelState = (typeof labelStates)[number];

/**
 * An organization's tags (Chatwoot: labels; Dixa: tags). Conversations keep the tags they carry by
 * name in `conversations.labels`, as Chatwoot does, so a rename is not a thing and a label row is
 * the catalogue entry: its uuid (the Dixa tag id), colour, description and whether it may be used.
 */
export const labels = pgTable(
  'labels',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    uuid: uuid('uuid').notNull().defaultRandom(),
    name: text('name').notNull(),
    color: text('color'),
    description: text('description'),
    state: text('state', { enum: labelStates }).notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('labels_account_name_key').on(table.accountId, sql`lower(${table.name})`),
    uniqueIndex('labels_uuid_key').on(table.uuid),
  ],
);

export type LabelRow = typeof labels.$inferSelect;
