import { bigint, index, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { calls } from '../calls/calls.tables.js';
import { accounts } from '../identity/identity.tables.js';

/**
 * When a call's recording was read (listened to or marked read). A recording without a row is
 * unread; marking it unread deletes the row. The recording itself is the calls core's.
 */
export const recordingReads = pgTable(
  'recording_reads',
  {
    callId: bigint('call_id', { mode: 'number' })
      .primaryKey()
      .references(() => calls.id, { onDelete: 'cascade' }),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('recording_reads_account_read_idx').on(table.accountId, table.readAt)],
);
