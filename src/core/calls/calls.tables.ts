import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';

/** Where a call came from. The union of the providers Modjo accepts on upload and reports in webhooks. */
export const callProviders = [
  'manual',
  'alcatel',
  'demodesk',
  'modjo_physical_recorder',
  'mobile_field_recorder',
  'onoff',
  'sipsim',
  'modjo_batch_imports',
  'webapp_manual_import',
  '3cx',
  'aircall',
  'amazon-service-cloud-voice',
  'apizee',
  'cloudtalk',
  'diabolocom-v2',
  'five9',
  'google',
  'google_recording_bot',
  'google_user_flow',
  'hubspot',
  'justcall',
  'keyyo',
  'microsoft_recording_bot',
  'microsoft',
  'microsoft_user_flow',
  'outreach',
  'ringover',
  'salesloft',
  'talkdesk',
  'vocalcom-v2',
  'zoom',
  'zoom_phone',
] as const;
export type CallProvider = (typeof callProviders)[number];

/**
 * A call's place in the processing pipeline. Each state names the next step a job performs, so
 * a job that crashes resumes from the state the last committed step left behind.
 */
export const callStates = [
  'pending_upload',
  'pending_download',
  'downloaded',
  'transcribing',
  'transcribed',
  'summarizing',
  'summarized',
  'failed',
] as const;
export type CallState = (typeof callStates)[number];

export const recordingFormats = ['wav', 'mp3', 'mpeg', 'm4a', 'mp4', 'webm'] as const;
export type RecordingFormat = (typeof recordingFormats)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

const accountId = () =>
  bigint('account_id', { mode: 'number' })
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' });

/** A recorded call or meeting with its CRM context and its processing state. */
export const calls = pgTable(
  'calls',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }),
    provider: text('provider', { enum: callProviders }).notNull().default('manual'),
    title: text('title').notNull().default(''),
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** As declared on upload, then replaced by the measured audio length. */
    durationSeconds: doublePrecision('duration_seconds').notNull().default(0),
    language: text('language'),
    /** The agent (one per call for now, as Modjo's upload allows). */
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    /** The provider's own id for the call. */
    externalId: text('external_id'),
    crmActivityId: text('crm_activity_id'),
    crmActivityType: text('crm_activity_type', { enum: ['call', 'calendarEvent', 'email'] }),
    crmAccountId: text('crm_account_id'),
    crmAccountProvider: text('crm_account_provider'),
    crmDealId: text('crm_deal_id'),
    crmDealProvider: text('crm_deal_provider'),
    state: text('state', { enum: callStates }).notNull(),
    failureReason: text('failure_reason'),
    /** Where the recording is fetched from; cleared once downloaded (it may embed a pre-signed secret). */
    recordingSourceUrl: text('recording_source_url'),
    /** The extension announced on upload; the measured format is `recordingFormat`. */
    recordingExtension: text('recording_extension', { enum: recordingFormats }).notNull(),
    recordingKey: text('recording_key'),
    recordingFormat: text('recording_format'),
    recordingContentType: text('recording_content_type'),
    recordingSize: bigint('recording_size', { mode: 'number' }),
    recordingDurationSeconds: doublePrecision('recording_duration_seconds'),
    recordingChannels: integer('recording_channels'),
    recordingSampleRate: integer('recording_sample_rate'),
    uploadExpiresAt: timestamp('upload_expires_at', { withTimezone: true }),
    /**
     * Set by the one upload that claimed the signed link (a conditional UPDATE, so concurrent PUTs
     * cannot both pass); cleared again when that upload fails, so the link can be retried.
     */
    uploadClaimedAt: timestamp('upload_claimed_at', { withTimezone: true }),
    recordingDeletedAt: timestamp('recording_deleted_at', { withTimezone: true }),
    transcriptDeletedAt: timestamp('transcript_deleted_at', { withTimezone: true }),
    transcriptionEngine: text('transcription_engine'),
    summary: text('summary'),
    summaryEngine: text('summary_engine'),
    summarizedAt: timestamp('summarized_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    // The export walks an account's calls by start date then id; every filter narrows this index.
    index('calls_account_started_idx').on(table.accountId, table.startedAt, table.id),
    index('calls_account_duration_idx').on(table.accountId, table.durationSeconds),
    index('calls_account_recording_deleted_idx')
      .on(table.accountId, table.recordingDeletedAt)
      .where(sql`${table.recordingDeletedAt} IS NOT NULL`),
    index('calls_title_trgm_idx').using('gin', sql`${table.title} gin_trgm_ops`),
    index('calls_account_state_idx').on(table.accountId, table.state),
    index('calls_account_external_idx').on(table.accountId, table.externalId),
    index('calls_account_user_idx').on(table.accountId, table.userId),
  ],
);

/** The contacts a call is about, in the order the uploader listed them. */
export const callContacts = pgTable(
  'call_contacts',
  {
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.callId, table.contactId] }),
    index('call_contacts_contact_idx').on(table.accountId, table.contactId),
  ],
);

/**
 * A label calls carry. External tags are keyed by the provider's tag id, so renaming or
 * recolouring one upload updates every call that carries it; internal tags are Parley's own.
 */
export const callTags = pgTable(
  'call_tags',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    name: text('name').notNull(),
    /** Hex without '#', 3 or 6 digits. */
    color: text('color').notNull().default('4CD598'),
    providerTagId: text('provider_tag_id'),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('call_tags_account_provider_key')
      .on(table.accountId, table.providerTagId)
      .where(sql`${table.providerTagId} IS NOT NULL`),
    index('call_tags_account_idx').on(table.accountId, table.id),
  ],
);

export const callTagLinks = pgTable(
  'call_tag_links',
  {
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    tagId: bigint('tag_id', { mode: 'number' })
      .notNull()
      .references(() => callTags.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.callId, table.tagId] }),
    index('call_tag_links_tag_idx').on(table.accountId, table.tagId),
  ],
);

/**
 * Someone heard in a call: the call's user, one of its contacts, or an extra voice for which an
 * "unknown speaker" contact was created.
 */
export const callSpeakers = pgTable(
  'call_speakers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['user', 'contact', 'unknown'] }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, {
      onDelete: 'set null',
    }),
    /** The recording channel this speaker was heard on (dual-channel recordings). */
    channel: integer('channel'),
    /** The transcription engine's own label for this voice (mixed recordings). */
    label: text('label'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('call_speakers_call_idx').on(table.callId, table.id)],
);

export const transcriptSegments = pgTable(
  'transcript_segments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    speakerId: bigint('speaker_id', { mode: 'number' }).references(() => callSpeakers.id, {
      onDelete: 'set null',
    }),
    startSeconds: doublePrecision('start_seconds').notNull(),
    endSeconds: doublePrecision('end_seconds').notNull(),
    text: text('text').notNull(),
    confidence: real('confidence'),
  },
  (table) => [index('transcript_segments_call_idx').on(table.callId, table.startSeconds, table.id)],
);

export const callHighlights = pgTable(
  'call_highlights',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    speakerId: bigint('speaker_id', { mode: 'number' }).references(() => callSpeakers.id, {
      onDelete: 'set null',
    }),
    text: text('text').notNull(),
    startSeconds: doublePrecision('start_seconds').notNull(),
    endSeconds: doublePrecision('end_seconds').notNull(),
  },
  (table) => [index('call_highlights_call_idx').on(table.callId, table.id)],
);

export const callTopics = pgTable(
  'call_topics',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    callId: bigint('call_id', { mode: 'number' })
      .notNull()
      .references(() => calls.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    score: real('score').notNull(),
    startSeconds: doublePrecision('start_seconds'),
  },
  (table) => [index('call_topics_call_idx').on(table.callId, table.id)],
);

/** Per-account call settings of a member: whether their calls are recorded and in which language. */
export const callUserSettings = pgTable(
  'call_user_settings',
  {
    accountId: accountId(),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hasLicense: boolean('has_license').notNull().default(false),
    language: text('language'),
    ...timestamps,
  },
  (table) => [primaryKey({ columns: [table.accountId, table.userId] })],
);

export type CallRow = typeof calls.$inferSelect;
export type CallSpeakerRow = typeof callSpeakers.$inferSelect;
