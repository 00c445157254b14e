import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

export const sipCodecs = ['G729', 'OPUS', 'PCMA', 'PCMU'] as const;
export type SipCodec = (typeof sipCodecs)[number];

/**
 * A SIP subscriber (CALLR's `SIP.Subscriber`): a SIP endpoint of the account, registered as
 * `username@<the account's SIP domain>`. The password is needed in clear for digest
 * authentication and CALLR shows it back, so it is stored encrypted (AES-256-GCM under an
 * instance secret), not hashed. `vms` is the voicemail object (`App.Param.Vms`) as given.
 */
export const sipSubscribers = pgTable(
  'sip_subscribers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    username: text('username').notNull(),
    passwordCiphertext: text('password_ciphertext').notNull(),
    cli: text('cli').notNull().default('BLOCKED'),
    codecs: text('codecs', { enum: sipCodecs }).array().notNull().default([]),
    privacy: text('privacy', { enum: ['full', 'off'] })
      .notNull()
      .default('full'),
    ringTimeout: integer('ring_timeout').notNull().default(30),
    srtp: boolean('srtp').notNull().default(false),
    vms: jsonb('vms').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('sip_subscribers_username_key').on(table.accountId, table.username),
    index('sip_subscribers_account_idx').on(table.accountId, table.id),
    check('sip_subscribers_ring_timeout_range', sql`${table.ringTimeout} BETWEEN 5 AND 120`),
  ],
);

export const sipTrunkKinds = ['origination', 'termination'] as const;
export type SipTrunkKind = (typeof sipTrunkKinds)[number];

/**
 * A SIP trunk's stored configuration (CALLR's `SIP.TrunkOrigination` / `SIP.TrunkTermination`).
 * The seed gives these objects only an `id` and empty properties/options, so the row keeps the
 * properties and options objects as the client sent them; nothing routes traffic over them yet.
 */
export const sipTrunks = pgTable(
  'sip_trunks',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: sipTrunkKinds }).notNull(),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('sip_trunks_account_idx').on(table.accountId, table.kind, table.id)],
);

export type SipSubscriberRow = typeof sipSubscribers.$inferSelect;
export type SipTrunkRow = typeof sipTrunks.$inferSelect;
