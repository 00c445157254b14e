import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Secrets the whole installation shares (e.g. the key that signs upload URLs), made once on first boot. */
export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
