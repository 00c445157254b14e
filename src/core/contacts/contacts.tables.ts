import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';

/**
 * A person the account talks to. Email is unique per account (case-insensitive), as are the
 * external identifier and the E.164 phone number; search uses trigram indexes.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The id faces that speak UUIDs (Dixa) use for this contact. */
    uuid: uuid('uuid').notNull().defaultRandom(),
    name: text('name').notNull().default(''),
    firstName: text('first_name'),
    middleNames: text('middle_names').array().notNull().default([]),
    lastName: text('last_name'),
    email: text('email'),
    additionalEmails: text('additional_emails').array().notNull().default([]),
    additionalPhoneNumbers: text('additional_phone_numbers').array().notNull().default([]),
    /** E.164, e.g. +33612345678. */
    phoneNumber: text('phone_number'),
    /** The account's own id for this person (CRM id, user id in the customer's app). */
    identifier: text('identifier'),
    avatarUrl: text('avatar_url'),
    blocked: boolean('blocked').notNull().default(false),
    contactType: text('contact_type', { enum: ['visitor', 'lead', 'customer'] })
      .notNull()
      .default('lead'),
    additionalAttributes: jsonb('additional_attributes')
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    labels: text('labels').array().notNull().default([]),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** WhatsApp groups are contacts of the `group` type; people are `individual`. */
    groupType: text('group_type', { enum: ['individual', 'group'] })
      .notNull()
      .default('individual'),
    /** The WhatsApp group's JID (`…@g.us`) for a group contact; its members are in whatsapp_group_members. */
    groupJid: text('group_jid'),
  },
  (table) => [
    index('contacts_account_idx').on(table.accountId, table.id),
    uniqueIndex('contacts_uuid_key').on(table.uuid),
    uniqueIndex('contacts_account_email_key')
      .on(table.accountId, sql`lower(${table.email})`)
      .where(sql`${table.email} IS NOT NULL`),
    uniqueIndex('contacts_account_identifier_key')
      .on(table.accountId, table.identifier)
      .where(sql`${table.identifier} IS NOT NULL`),
    index('contacts_account_phone_idx').on(table.accountId, table.phoneNumber),
    index('contacts_account_last_activity_idx').on(table.accountId, table.lastActivityAt, table.id),
    // The default list order (most recently active first, never-active last).
    index('contacts_account_recent_activity_idx').on(
      table.accountId,
      table.lastActivityAt.desc().nullsLast(),
      table.id.desc().nullsFirst(),
    ),
    index('contacts_account_created_idx').on(table.accountId, table.createdAt, table.id),
    index('contacts_account_name_sort_idx').on(table.accountId, table.name, table.id),
    index('contacts_name_trgm_idx').using('gin', sql`${table.name} gin_trgm_ops`),
    index('contacts_email_trgm_idx').using('gin', sql`${table.email} gin_trgm_ops`),
    index('contacts_phone_trgm_idx').using('gin', sql`${table.phoneNumber} gin_trgm_ops`),
    // Search also matches the identifier; without this index the OR could not use the others.
    index('contacts_identifier_trgm_idx').using('gin', sql`${table.identifier} gin_trgm_ops`),
    index('contacts_labels_idx').using('gin', table.labels),
    uniqueIndex('contacts_account_group_jid_key')
      .on(table.accountId, table.groupJid)
      .where(sql`${table.groupJid} IS NOT NULL`),
  ],
);

/**
 * A contact's address in one inbox: `sourceId` is the channel's id for them (the public API's
 * contact identifier, a phone number, an email address).
 */
export const contactInboxes = pgTable(
  'contact_inboxes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    inboxId: bigint('inbox_id', { mode: 'number' })
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    hmacVerified: boolean('hmac_verified').notNull().default(false),
    /** Token a client uses to subscribe to this contact's real-time updates. */
    pubsubToken: text('pubsub_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('contact_inboxes_source_key').on(table.inboxId, table.sourceId),
    index('contact_inboxes_contact_idx').on(table.contactId),
    uniqueIndex('contact_inboxes_pubsub_key').on(table.pubsubToken),
  ],
);

export type ContactRow = typeof contacts.$inferSelect;
export type ContactInboxRow = typeof contactInboxes.$inferSelect;
