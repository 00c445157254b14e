import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { conferenceRooms } from '../conferences/conferences.tables.js';
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
 * number belongs to at most one account and is assigned to at most one voice app, inbox or conference room.
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
    conferenceRoomId: bigint('conference_room_id', { mode: 'number' }).references(() => conferenceRooms.id, {
      onDelete: 'set null',
    }),
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
    index('phone_numbers_conference_room_idx').on(table.conferenceRoomId),
    check(
      'phone_numbers_one_target',
      sql`num_nonnulls(${table.voiceAppId}, ${table.inboxId}, ${table.conferenceRoomId}) <= 1`,
    ),
    check(
      'phone_numbers_owned_when_active',
      sql`(${table.state} = 'active') = (${table.accountId} IS NOT NULL)`,
    ),
  ],
);

export type PhoneNumberRow = typeof phoneNumbers.$inferSelect;

/**
 * The store's area codes (CALLR `DID.AreaCode`), one per country, type and local prefix, made by the
 * inventory import. Their integer id is what store clients pass around, so it never changes once given.
 */
export const didAreaCodes = pgTable(
  'did_area_codes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    countryCode: text('country_code').notNull(),
    type: text('type', { enum: numberTypes }).notNull(),
    localPrefix: text('local_prefix').notNull(),
    /** The prefix as dialled from abroad, "+331" for Paris's "01". */
    intlPrefix: text('intl_prefix').notNull(),
    label: text('label').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('did_area_codes_key_idx').on(table.countryCode, table.type, table.localPrefix)],
);

export type DidAreaCodeRow = typeof didAreaCodes.$inferSelect;

/** `reserved`: holds its numbers until `expires_at`; then one of the three end states. */
export const storeOrderStates = ['reserved', 'bought', 'cancelled', 'expired'] as const;
export type StoreOrderState = (typeof storeOrderStates)[number];

/** A store order (CALLR's reservation token): numbers held for an account, then bought or let go. */
export const didStoreOrders = pgTable(
  'did_store_orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The order token the client holds (random, unguessable). */
    token: text('token').notNull(),
    areaCodeId: integer('area_code_id')
      .notNull()
      .references(() => didAreaCodes.id, { onDelete: 'restrict' }),
    numberClass: text('number_class', { enum: numberClasses }).notNull(),
    quantity: integer('quantity').notNull(),
    state: text('state', { enum: storeOrderStates }).notNull().default('reserved'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** When it was bought, cancelled or expired. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('did_store_orders_token_idx').on(table.token),
    index('did_store_orders_account_idx').on(table.accountId, table.state, table.closedAt),
    // Maintenance purges orders closed long ago.
    index('did_store_orders_closed_idx').on(table.closedAt),
  ],
);

export type DidStoreOrderRow = typeof didStoreOrders.$inferSelect;

/** `reserved` while the order holds it; `bought`, or `released` (cancelled, expired, refused at purchase). */
export const storeItemOutcomes = ['reserved', 'bought', 'released'] as const;
export type StoreItemOutcome = (typeof storeItemOutcomes)[number];

/** The numbers an order reserved, kept after the order ends so it can still be viewed and counted. */
export const didStoreOrderItems = pgTable(
  'did_store_order_items',
  {
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => didStoreOrders.id, { onDelete: 'cascade' }),
    phoneNumberId: bigint('phone_number_id', { mode: 'number' })
      .notNull()
      .references(() => phoneNumbers.id, { onDelete: 'cascade' }),
    /** E.164, copied so the order reads the same after the number changes hands. */
    number: text('number').notNull(),
    monthlyCents: integer('monthly_cents').notNull(),
    outcome: text('outcome', { enum: storeItemOutcomes }).notNull().default('reserved'),
  },
  (table) => [
    primaryKey({ columns: [table.orderId, table.phoneNumberId] }),
    index('did_store_order_items_number_idx').on(table.phoneNumberId),
  ],
);

export type DidStoreOrderItemRow = typeof didStoreOrderItems.$inferSelect;

/**
 * Per-account store limits (CALLR `DID.Store.QuotaStatus`); an account without a row has the
 * defaults. -1 means unlimited, as in CALLR.
 */
export const numberQuotas = pgTable('number_quotas', {
  accountId: bigint('account_id', { mode: 'number' })
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  assignedMax: integer('assigned_max').notNull().default(100),
  maxOverPeriod: integer('max_over_period').notNull().default(-1),
  periodDays: integer('period_days').notNull().default(30),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type NumberQuotaRow = typeof numberQuotas.$inferSelect;
