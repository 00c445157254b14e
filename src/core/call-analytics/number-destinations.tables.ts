import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What libphonenumber says about a number that was called or called in (its country and billing
 * label), kept so analytics can group calls by destination inside the database. These are public
 * facts about numbers, not tenant data: one row per number for the whole instance.
 */
export const numberDestinations = pgTable('number_destinations', {
  number: text('number').primaryKey(),
  /** ISO 3166-1 alpha-2; "" when the number names no country. */
  countryCode: text('country_code').notNull(),
  /** "France MOBILE": the country and line type, as CDRs label the destination. */
  billingLabel: text('billing_label').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
