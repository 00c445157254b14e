import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** CALLR's `Media.Library.status` values. */
export const mediaStatuses = [
  'ERROR',
  'PENDING_CONTENT',
  'PENDING_CONVERSION',
  'PROCESSING',
  'READY',
] as const;
export type MediaStatus = (typeof mediaStatuses)[number];

/** Where a media's audio came from: kept to explain it, not shown by the CALLR face. */
export const mediaSources = ['AUDIO', 'FILE', 'RECORDING', 'TTS', 'PHONE'] as const;
export type MediaSource = (typeof mediaSources)[number];

/** CALLR's media categories (`Media.SearchFilters.category`). */
export const mediaCategories = [
  'FAILURE',
  'IVR',
  'MISC',
  'RINGTONE',
  'VOICEMAIL',
  'WELCOME',
  'WHISPER',
] as const;
export type MediaCategory = (typeof mediaCategories)[number];

/**
 * An account's media library: prompts and messages its voice apps and broadcasts play. The audio
 * is always stored as mono MP3 (CALLR's `url` is an MP3 URL) under `blobKey`; `durationMs` is
 * measured by decoding it, never taken from the client.
 */
export const mediaItems = pgTable(
  'media_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status', { enum: mediaStatuses }).notNull().default('PENDING_CONTENT'),
    categories: jsonb('categories').$type<MediaCategory[]>().notNull().default([]),
    /** CALLR tags: tag key → tag values. */
    tags: jsonb('tags').$type<Record<string, string[]>>().notNull().default({}),
    /** The text content: what the audio says (given with the audio, or the TTS text). */
    content: text('content').notNull().default(''),
    /** CALLR voice id (TTS_FR-FR_AUDREY) when the audio was synthesized. */
    voice: text('voice'),
    /** Locales ("fr_FR") of the content, known for synthesized media. */
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    source: text('source', { enum: mediaSources }),
    blobKey: text('blob_key'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull().default(0),
    durationMs: integer('duration_ms').notNull().default(0),
    /** Why the last content could not be used (status ERROR). */
    error: text('error'),
    /** Record-by-phone: call `phoneIdNumber` and key in `phoneIdCode` to record this media. */
    phoneIdNumber: text('phone_id_number'),
    phoneIdCode: text('phone_id_code'),
    phoneIdExpiresAt: timestamp('phone_id_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('media_items_account_idx').on(table.accountId, table.id),
    uniqueIndex('media_items_phone_id_idx')
      .on(table.phoneIdNumber, table.phoneIdCode)
      .where(sql`${table.phoneIdCode} IS NOT NULL`),
  ],
);

export type MediaItemRow = typeof mediaItems.$inferSelect;

/** CALLR's `Job.status` values. */
export const mediaJobStatuses = ['PENDING', 'RUNNING', 'CANCELED', 'DONE'] as const;
export type MediaJobStatus = (typeof mediaJobStatuses)[number];

/** `addressbook_import`: a CSV appended to an address book (src/core/broadcasts), read like any job. */
export const mediaJobKinds = ['import_file', 'addressbook_import'] as const;
export type MediaJobKind = (typeof mediaJobKinds)[number];

/**
 * CALLR's asynchronous jobs (`jobs.get`): what a client polls. The work itself runs as a durable
 * platform job; this row is its customer-facing progress and outcome. An import's file is kept
 * under `blobKey` as `fileName` until `fileExpiresAt`.
 */
export const mediaJobs = pgTable(
  'media_jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The id clients see (CALLR's `Job.id`, a "hid"): random, so job ids reveal no volumes. */
    publicId: text('public_id').notNull(),
    kind: text('kind', { enum: mediaJobKinds }).notNull(),
    status: text('status', { enum: mediaJobStatuses }).notNull().default('PENDING'),
    percent: doublePrecision('percent').notNull().default(0),
    result: jsonb('result').$type<Record<string, unknown>>().notNull().default({}),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    webhookUrl: text('webhook_url'),
    blobKey: text('blob_key'),
    fileName: text('file_name'),
    fileExpiresAt: timestamp('file_expires_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('media_jobs_account_idx').on(table.accountId, table.id),
    uniqueIndex('media_jobs_public_id_idx').on(table.publicId),
    uniqueIndex('media_jobs_file_name_idx')
      .on(table.accountId, table.fileName)
      .where(sql`${table.fileName} IS NOT NULL`),
  ],
);

export type MediaJobRow = typeof mediaJobs.$inferSelect;
