import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import type { BroadcastMessage } from '../telephony/telephony.tables.js';

/** An account's list of phone numbers to broadcast to (CALLR SENDR's address book). */
export const addressBooks = pgTable(
  'address_books',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Kept with each import so listing books needs no count over their contacts. */
    contactsCount: integer('contacts_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('address_books_account_idx').on(table.accountId, table.id)],
);

export type AddressBookRow = typeof addressBooks.$inferSelect;

/** One number of an address book with the other columns of its CSV row; a book holds a number once. */
export const addressBookContacts = pgTable(
  'address_book_contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    addressBookId: bigint('address_book_id', { mode: 'number' })
      .notNull()
      .references(() => addressBooks.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    fields: jsonb('fields').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('address_book_contacts_book_phone_idx').on(table.addressBookId, table.phone)],
);

export const broadcastTypes = ['SMS', 'VOICE'] as const;
export type BroadcastType = (typeof broadcastTypes)[number];

export const broadcastStatuses = ['DRAFT', 'RUNNING', 'PAUSED', 'STOPPED', 'FINISHED'] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

/** What a voice campaign offers the callee on a key press (stored and shown back). */
export interface IvrAction {
  key: string;
  action: 'HANGUP' | 'REPLAY' | 'TRANSFER' | 'BLACKLIST';
  /** TRANSFER: the E.164 number to put the callee through to; "" otherwise. */
  target: string;
}

/** What a campaign sends: an SMS text, or voice messages played `loops` times. */
export type BroadcastContent =
  | { type: 'SMS'; text: string; nature: 'ALERTING' | 'MARKETING' }
  | { type: 'VOICE'; messages: BroadcastMessage[]; loops: number; ivrActions: IvrAction[] };

/** A broadcast campaign: one content sent once to every number of its address books. */
export const broadcastCampaigns = pgTable(
  'broadcast_campaigns',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type', { enum: broadcastTypes }).notNull(),
    status: text('status', { enum: broadcastStatuses }).notNull().default('DRAFT'),
    content: jsonb('content').$type<BroadcastContent>().notNull(),
    addressBookIds: jsonb('address_book_ids').$type<number[]>().notNull().default([]),
    /** The SMS sender or the calls' CLI; "" for the platform's default. */
    sender: text('sender').notNull().default(''),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    /**
     * Bumped by every start and resume: a chunk job carries the run it belongs to, so a job left
     * over from before a pause never sends alongside the one the resume queued.
     */
    run: integer('run').notNull().default(0),
    totalCount: integer('total_count').notNull().default(0),
    sentCount: integer('sent_count').notNull().default(0),
    failedCount: integer('failed_count').notNull().default(0),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('broadcast_campaigns_account_idx').on(table.accountId, table.id)],
);

export type BroadcastCampaignRow = typeof broadcastCampaigns.$inferSelect;

export const recipientStates = ['PENDING', 'SENT', 'FAILED'] as const;
export type RecipientState = (typeof recipientStates)[number];

/**
 * One number a started campaign sends to. Its state changes in the transaction that sends, so a
 * number is sent to once whatever restarts in between; a number in two books is one recipient.
 */
export const broadcastRecipients = pgTable(
  'broadcast_recipients',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => broadcastCampaigns.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    state: text('state', { enum: recipientStates }).notNull().default('PENDING'),
    /** `sms:<id>` or `call:<id>` once sent. */
    reference: text('reference'),
    error: text('error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('broadcast_recipients_campaign_phone_idx').on(table.campaignId, table.phone),
    index('broadcast_recipients_pending_idx')
      .on(table.campaignId, table.id)
      .where(sql`${table.state} = 'PENDING'`),
  ],
);
