import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** The packages a voice app runs (CALLR's `App.Package.name`). */
export const voiceAppPackages = ['REALTIME10', 'CLICKTOCALL10', 'CALLTRACKING10', 'ACTIONS10'] as const;
export type VoiceAppPackage = (typeof voiceAppPackages)[number];

/**
 * A voice app: what happens on a call to its numbers, or on the calls it places. `options` holds
 * the package's options object exactly as the seed describes it (REALTIME10 `{url, login, ...}`).
 */
export const voiceApps = pgTable(
  'voice_apps',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    package: text('package', { enum: voiceAppPackages }).notNull(),
    name: text('name').notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('voice_apps_account_idx').on(table.accountId, table.id)],
);

export type VoiceAppRow = typeof voiceApps.$inferSelect;
