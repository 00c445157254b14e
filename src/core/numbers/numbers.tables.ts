import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { voiceApps } from '../voice-apps/voice-apps.tables.js';

/** CALLR's DID types (`DID.type`). */
export const numberTypes = [
  'GEOGRAPHIC',
  'MOBILE',
  'NON-GEOGRAPHIC',
  'PERSONAL',
  'PLATFORM',
  'SHAREDREVENUE',
  'SMS-ONLY',
  'SPECIAL',
  'TOLLFREE',
  'VERIFIED',
] as const;
export type NumberType = (typeof numberTypes)[number];

export const numberClasses = ['CLASSIC', 'GOLD'] as const;
export type NumberClass = (typeof numberClasses)[number];

/** `available`: in the instance's store; `reserved`: held by a store reservation; `active`: an account's. */
export const numberStates = ['available', 'reserved', 'active'] as const;
export type NumberState = (typeof numberStates)[number];

/**
 * The instance's phone numbers (DIDs): the operator loads the inventory; accounts buy from it. A
 * number belongs to at most one account and is assigned to at most one voice app or inbox.
 */
export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** E.164 with "+". */
    number: text('number').notNull(),
    /** ISO 3166-1 alpha-2. */
    countryCode: text('country_code').notNull(),
    /** The area code's local prefix ("01" for Paris), from the inventory. */
    localPrefix: text('local_prefix').notNull(),
    /** The area code's name ("Paris"). */
    areaLabel: text('area_label').notNull().default(''),
    type: text('type', { enum: numberTypes }).notNull(),
    numberClass: text('number_class', { enum: numberClasses }).notNull().default('CLASSIC'),
    /** Price per month, in cents of the account's currency. */
    monthlyCents: integer('monthly_cents').notNull().default(0),
    state: text('state', { enum: numberStates }).notNull().default('available'),
    accountId: bigint('account_id', { mode: 'number' }).references(() => accounts.id, {
      onDelete: 'set null',
    }),
    /** The store reservation holding it while `reserved` (the reservation's token). */
    reservationToken: text('reservation_token'),
    voiceAppId: bigint('voice_app_id', { mode: 'number' }).references(() => voiceApps.id, {
      onDelete: 'set null',
    }),
    inboxId: bigint('inbox_id', { mode: 'number' }).references(() => inboxes.id, { onDelete: 'set null' }),
    acquiredAt: timestamp('acquired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('phone_numbers_number_idx').on(table.number),
    index('phone_numbers_account_idx').on(table.accountId, table.id),
    index('phone_numbers_store_idx')
      .on(table.countryCode, table.type, table.localPrefix, table.numberClass)
      .where(sql`${table.state} = 'available'`),
    index('phone_numbers_voice_app_idx').on(table.voiceAppId),
    index('phone_numbers_reservation_idx').on(table.reservationToken),
    check('phone_numbers_one_target', sql`${table.voiceAppId} IS NULL OR ${table.inboxId} IS NULL`),
    check(
      'phone_numbers_owned_when_active',
      sql`(${table.state} = 'active') = (${table.accountId} IS NOT NULL)`,
    ),
  ],
);

export type PhoneNumberRow = typeof phoneNumbers.$inferSelect;
