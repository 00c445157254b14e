import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { teams } from '../teams/teams.tables.js';

/** Diabolocom's five dialing modes. */
export const dialingModes = ['automatic', 'amd_progressive', 'progressive', 'predictive', 'preview'] as const;
export type DialingMode = (typeof dialingModes)[number];

/** What an agent's wrap-up says about the contact; drives its retry. */
export const wrapupStatuses = ['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall'] as const;
export type WrapupStatus = (typeof wrapupStatuses)[number];

export const campaignContactStates = ['processing_not_in_progress', 'processing_in_progress'] as const;
export type CampaignContactState = (typeof campaignContactStates)[number];

export const exclusionCauses = [
  'noValidPhone',
  'duplicate',
  'bloctel',
  'manualByAgent',
  'manual',
  'excludedByAdmin',
  'tooShort',
  'tooLong',
] as const;
export type ExclusionCause = (typeof exclusionCauses)[number];

export const callerTypes = ['contact', 'agent', 'system'] as const;
export type CallerType = (typeof callerTypes)[number];

/** The outcomes a campaign can set a retry rule for. */
export const retryableOutcomes = ['busy', 'no_answer', 'machine', 'invalid_number', 'abandoned'] as const;
export type RetryableOutcome = (typeof retryableOutcomes)[number];

export interface RetryRule {
  maxTries: number;
  delaySeconds: number;
}

/** Per call outcome and per wrap-up status; a missing key falls back to the campaign's maxTries/nextTryDelay. */
export interface RetryRules {
  byOutcome?: Partial<Record<RetryableOutcome, RetryRule>>;
  byWrapupStatus?: Partial<Record<WrapupStatus, RetryRule>>;
}

/** Local times "HH:MM" per ISO weekday (1 = Monday … 7 = Sunday), in the calendar's or campaign's time zone. */
export type WeeklyWindows = Partial<
  Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { start: string; end: string }[]>
>;

export interface AutoPurge {
  enabled?: boolean;
  lastAttemptBeforeDays?: number;
  maxTriesReached?: boolean;
  excluded?: boolean;
  notToCall?: boolean;
}

export interface DeduplicationParams {
  excludeDomain?: 'all' | 'file';
  excludeSamePhones?: boolean;
  excludeSameValues?: string[];
  enableAgentIncludeExclude?: boolean;
}

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

const accountId = () =>
  bigint('account_id', { mode: 'number' })
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' });

/** Who made a change, as Diabolocom shows it (a login: the user's email, or the API key's name). */
const authorship = {
  createdBy: text('created_by').notNull().default(''),
  lastUpdatedBy: text('last_updated_by').notNull().default(''),
};

/** When calls may be placed: weekly windows in a time zone, minus holidays (dates in that zone). */
export const dialerCalendars = pgTable(
  'dialer_calendars',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    weeklyWindows: jsonb('weekly_windows').$type<WeeklyWindows>().notNull().default({}),
    holidays: date('holidays', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    ...timestamps,
  },
  (table) => [index('dialer_calendars_account_idx').on(table.accountId)],
);

/** A tree of folders for wrap-up codes; `path` is the names from the root joined with "/". */
export const wrapupFolders = pgTable(
  'wrapup_folders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    parentId: bigint('parent_id', { mode: 'number' }),
    name: text('name').notNull(),
    /** 0 for a root folder. */
    level: integer('level').notNull().default(0),
    path: text('path').notNull(),
    position: integer('position').notNull().default(0),
    isLocked: boolean('is_locked').notNull().default(false),
    isSystem: boolean('is_system').notNull().default(false),
    ...authorship,
    ...timestamps,
  },
  (table) => [
    index('wrapup_folders_account_idx').on(table.accountId, table.id),
    index('wrapup_folders_parent_idx').on(table.parentId),
    uniqueIndex('wrapup_folders_account_path_key').on(table.accountId, table.path),
  ],
);

export const wrapupCodes = pgTable(
  'wrapup_codes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    folderId: bigint('folder_id', { mode: 'number' }).references(() => wrapupFolders.id, {
      onDelete: 'set null',
    }),
    name: text('name').notNull(),
    status: text('status', { enum: wrapupStatuses }).notNull(),
    isSystem: boolean('is_system').notNull().default(false),
    isHidden: boolean('is_hidden').notNull().default(false),
    /** Seconds a personal callback stays reserved for its agent (status tocall only). */
    unpinAfter: integer('unpin_after'),
    ...authorship,
    ...timestamps,
  },
  (table) => [
    index('wrapup_codes_account_idx').on(table.accountId, table.id),
    index('wrapup_codes_folder_idx').on(table.folderId),
  ],
);

/** An outbound campaign: who works it, how it dials, when it may call, and how it retries. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    name: text('name').notNull(),
    folder: text('folder'),
    mode: text('mode', { enum: dialingModes }).notNull(),
    /** New campaigns start paused: nothing dials until someone presses play. */
    isPaused: boolean('is_paused').notNull().default(true),
    isArchived: boolean('is_archived').notNull().default(false),
    /** The custom fields every contact of the campaign carries; `phoneFields` are the ones dialled. */
    customFields: text('custom_fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    phoneFields: text('phone_fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    wrapupFolderId: bigint('wrapup_folder_id', { mode: 'number' }).references(() => wrapupFolders.id, {
      onDelete: 'set null',
    }),
    displayedPhoneNumbers: text('displayed_phone_numbers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    useAgentDisplayedPhoneNumber: boolean('use_agent_displayed_phone_number').notNull().default(false),
    minCallingDateOffset: integer('min_calling_date_offset'),
    maxCallingDateOffset: integer('max_calling_date_offset'),
    /** Tries when the wrap-up says tocall, and the delay before the next one (seconds). */
    maxTries: integer('max_tries').notNull().default(5),
    nextTryDelay: integer('next_try_delay').notNull().default(86_400),
    retryRules: jsonb('retry_rules').$type<RetryRules>().notNull().default({}),
    isRecorded: boolean('is_recorded').notNull().default(false),
    recordingPercentage: integer('recording_percentage'),
    calendarId: bigint('calendar_id', { mode: 'number' }).references(() => dialerCalendars.id, {
      onDelete: 'set null',
    }),
    /** The campaign's own calling rules, used when it has no calendar. */
    timezone: text('timezone').notNull().default('UTC'),
    callingWindows: jsonb('calling_windows').$type<WeeklyWindows>().notNull().default({}),
    holidays: date('holidays', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    regionalization: boolean('regionalization').notNull().default(false),
    soundPlayedContactPickUp: integer('sound_played_contact_pick_up'),
    /** The priority new contacts get. */
    contactPriority: integer('contact_priority').notNull().default(10),
    personalCallbackPrioritization: boolean('personal_callback_prioritization').notNull().default(false),
    globalPriority: integer('global_priority'),
    deduplicationParams: jsonb('deduplication_params').$type<DeduplicationParams>(),
    autoPurge: jsonb('auto_purge').$type<AutoPurge>(),
    /** The cap on abandoned calls over a rolling 30 days (0.03 = 3%); the dialer throttles to hold it. */
    maxAbandonRate: real('max_abandon_rate').notNull().default(0.03),
    /** Hands out each contact's per-campaign number (`contactId`). */
    lastContactNumber: bigint('last_contact_number', { mode: 'number' }).notNull().default(0),
    ...authorship,
    ...timestamps,
  },
  (table) => [index('campaigns_account_idx').on(table.accountId, table.id)],
);

/** The agents assigned to a campaign; `unassignedAt` set when an agent took themselves off it. */
export const campaignUsers = pgTable(
  'campaign_users',
  {
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    unassignedAt: timestamp('unassigned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.userId] }),
    index('campaign_users_user_idx').on(table.userId),
  ],
);

export const campaignGroups = pgTable(
  'campaign_groups',
  {
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    teamId: bigint('team_id', { mode: 'number' })
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.teamId] }),
    index('campaign_groups_team_idx').on(table.teamId),
  ],
);

/**
 * A core contact in one campaign. `id` is the system id Diabolocom calls `id`; `contactNumber` is
 * the per-campaign `contactId`. `phoneNumbers` holds the digits of every value of `phones`, for
 * search by phone; `wrapupStatus` is the last wrap-up's status (null: never wrapped up).
 */
export const campaignContacts = pgTable(
  'campaign_contacts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    contactNumber: bigint('contact_number', { mode: 'number' }).notNull(),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    state: text('state', { enum: campaignContactStates }).notNull().default('processing_not_in_progress'),
    comment: text('comment'),
    excluded: boolean('excluded').notNull().default(false),
    excludedDetail: text('excluded_detail', { enum: exclusionCauses }),
    priority: integer('priority').notNull(),
    retryAt: timestamp('retry_at', { withTimezone: true }),
    /** True when the retry date was asked for by the contact (a callback): exempt from the 72-hour rule. */
    isCallback: boolean('is_callback').notNull().default(false),
    triesNumber: integer('tries_number').notNull().default(0),
    wrapupId: bigint('wrapup_id', { mode: 'number' }).references(() => wrapupCodes.id, {
      onDelete: 'set null',
    }),
    wrapupStatus: text('wrapup_status', { enum: wrapupStatuses }),
    agentId: bigint('agent_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    assignedAgentId: bigint('assigned_agent_id', { mode: 'number' }).references(() => users.id, {
      onDelete: 'set null',
    }),
    assignedGroupId: bigint('assigned_group_id', { mode: 'number' }).references(() => teams.id, {
      onDelete: 'set null',
    }),
    assignedAgentExpiresAt: timestamp('assigned_agent_expires_at', { withTimezone: true }),
    assignedGroupExpiresAt: timestamp('assigned_group_expires_at', { withTimezone: true }),
    duplicateContactIds: bigint('duplicate_contact_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'::bigint[]`),
    minCallingAt: timestamp('min_calling_at', { withTimezone: true }),
    maxCallingAt: timestamp('max_calling_at', { withTimezone: true }),
    lastCallAt: timestamp('last_call_at', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    lastAgentId: bigint('last_agent_id', { mode: 'number' }).references(() => users.id, {
      onDelete: 'set null',
    }),
    lastCallerType: text('last_caller_type', { enum: callerTypes }),
    contactCardDisplayNumber: text('contact_card_display_number'),
    currentPhoneName: text('current_phone_name'),
    calendarId: bigint('calendar_id', { mode: 'number' }).references(() => dialerCalendars.id, {
      onDelete: 'set null',
    }),
    customFields: jsonb('custom_fields').$type<Record<string, string>>().notNull().default({}),
    phones: jsonb('phones').$type<Record<string, string>>().notNull().default({}),
    phoneNumbers: text('phone_numbers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    purgeDate: date('purge_date', { mode: 'string' }),
    region: integer('region'),
    /** The batch that created the row and its place in it: a resumed batch never inserts twice. */
    batchId: uuid('batch_id'),
    batchIndex: integer('batch_index'),
    ...authorship,
    ...timestamps,
  },
  (table) => [
    uniqueIndex('campaign_contacts_number_key').on(table.campaignId, table.contactNumber),
    index('campaign_contacts_campaign_id_idx').on(table.campaignId, table.id),
    index('campaign_contacts_campaign_updated_idx').on(table.campaignId, table.updatedAt, table.id),
    index('campaign_contacts_account_id_idx').on(table.accountId, table.id),
    index('campaign_contacts_contact_idx').on(table.contactId),
    index('campaign_contacts_phone_numbers_idx').using('gin', table.phoneNumbers),
    index('campaign_contacts_custom_fields_idx').using('gin', sql`${table.customFields} jsonb_path_ops`),
    /** The dialer's pick: callable contacts of a campaign by priority, then by retry date. */
    index('campaign_contacts_dialable_idx')
      .on(table.campaignId, table.priority.desc(), table.retryAt, table.id)
      .where(sql`NOT ${table.excluded} AND ${table.state} = 'processing_not_in_progress'`),
    // Search filters (contact-search.ts). Partial on NOT NULL: a fresh import, where these are all
    // unset, writes no entry, and `column IN (…)` or a range implies NOT NULL, so the planner uses them.
    index('campaign_contacts_search_wrapup_idx')
      .on(table.campaignId, table.wrapupStatus)
      .where(sql`${table.wrapupStatus} IS NOT NULL`),
    index('campaign_contacts_search_agent_idx')
      .on(table.campaignId, table.agentId)
      .where(sql`${table.agentId} IS NOT NULL`),
    index('campaign_contacts_search_last_agent_idx')
      .on(table.campaignId, table.lastAgentId)
      .where(sql`${table.lastAgentId} IS NOT NULL`),
    index('campaign_contacts_search_assigned_agent_idx')
      .on(table.campaignId, table.assignedAgentId)
      .where(sql`${table.assignedAgentId} IS NOT NULL`),
    index('campaign_contacts_search_assigned_group_idx')
      .on(table.campaignId, table.assignedGroupId)
      .where(sql`${table.assignedGroupId} IS NOT NULL`),
    index('campaign_contacts_search_wrapup_id_idx')
      .on(table.campaignId, table.wrapupId)
      .where(sql`${table.wrapupId} IS NOT NULL`),
    index('campaign_contacts_search_excluded_idx')
      .on(table.campaignId, table.excludedDetail)
      .where(sql`${table.excluded}`),
    index('campaign_contacts_search_retry_idx')
      .on(table.campaignId, table.retryAt)
      .where(sql`${table.retryAt} IS NOT NULL`),
    index('campaign_contacts_search_last_call_idx')
      .on(table.campaignId, table.lastCallAt)
      .where(sql`${table.lastCallAt} IS NOT NULL`),
    index('campaign_contacts_search_region_idx')
      .on(table.campaignId, table.region)
      .where(sql`${table.region} IS NOT NULL`),
    index('campaign_contacts_search_priority_idx').on(table.campaignId, table.priority),
    /** The dialer outside a campaign's window: only contacts with a calendar of their own may be called. */
    index('campaign_contacts_calendar_idx')
      .on(table.campaignId)
      .where(sql`${table.calendarId} IS NOT NULL`),
    // Substring and pattern conditions on custom fields (contact-filter.ts): a necessary condition
    // on the fields' JSON text, which this index answers, narrows them before the exact one.
    index('campaign_contacts_custom_fields_trgm_idx').using(
      'gin',
      sql`(${table.customFields}::text) gin_trgm_ops`,
    ),
    // `eq null` / `notEq null` on a custom field (contact-search-shapes.ts): the contacts of a
    // campaign by which fields they have filled (a hash of the keys; SQL functions in migration 0047).
    index('campaign_contacts_filled_fields_idx').on(
      table.campaignId,
      sql`campaign_contact_filled_fields_hash(${table.customFields})`,
    ),
    uniqueIndex('campaign_contacts_batch_item_key')
      .on(table.batchId, table.batchIndex)
      .where(sql`${table.batchId} IS NOT NULL`),
  ],
);

export const contactBatchKinds = ['create', 'update', 'delete'] as const;
export type ContactBatchKind = (typeof contactBatchKinds)[number];
export const contactBatchStatuses = ['ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
export type ContactBatchStatus = (typeof contactBatchStatuses)[number];

/**
 * An asynchronous create/update/delete over a campaign's contacts, run by a durable job in chunks;
 * each chunk commits with `processedItems`, so a batch resumed after a crash applies nothing twice.
 * At most one live (ACCEPTED or IN_PROGRESS) batch per campaign, enforced by a unique index.
 */
export const contactBatches = pgTable(
  'contact_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: accountId(),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: contactBatchKinds }).notNull(),
    status: text('status', { enum: contactBatchStatuses }).notNull().default('ACCEPTED'),
    /** The validated request: contacts to create, or the filter and the changes. */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    totalItems: integer('total_items'),
    processedItems: integer('processed_items').notNull().default(0),
    /** For update/delete: the highest contact id already handled (keyset cursor). */
    cursorId: bigint('cursor_id', { mode: 'number' }).notNull().default(0),
    modifiedCount: integer('modified_count').notNull().default(0),
    failedIds: bigint('failed_ids', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'::bigint[]`),
    excluded: jsonb('excluded').$type<Record<string, number[]>>().notNull().default({}),
    failureReason: text('failure_reason'),
    createdBy: text('created_by').notNull().default(''),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    index('contact_batches_account_idx').on(table.accountId, table.createdAt),
    uniqueIndex('contact_batches_one_live_per_campaign_key')
      .on(table.campaignId)
      .where(sql`${table.status} IN ('ACCEPTED', 'IN_PROGRESS')`),
  ],
);

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignContactRow = typeof campaignContacts.$inferSelect;
export type WrapupCodeRow = typeof wrapupCodes.$inferSelect;
export type WrapupFolderRow = typeof wrapupFolders.$inferSelect;
export type ContactBatchRow = typeof contactBatches.$inferSelect;
export type DialerCalendarRow = typeof dialerCalendars.$inferSelect;
