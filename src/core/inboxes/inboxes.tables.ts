import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';

export const channelTypes = ['api', 'web_widget', 'email', 'sms', 'whatsapp', 'voice'] as const;
export type ChannelType = (typeof channelTypes)[number];

/** One day's opening hours; closed days have `closedAllDay`. Minutes since midnight in the inbox timezone. */
export interface WorkingHoursDay {
  dayOfWeek: number;
  closedAllDay: boolean;
  openAllDay: boolean;
  openHour: number | null;
  openMinutes: number | null;
  closeHour: number | null;
  closeMinutes: number | null;
}

/** Capacity-aware auto-assignment settings; a null limit means no cap. */
export interface AutoAssignmentConfig {
  maxAssignmentLimit?: number | null;
}

/**
 * A channel a team answers on. Channel-specific settings (callback URL and HMAC token for API
 * inboxes; website URL, widget colour and website token for the widget; addresses and provider
 * credentials for email, SMS, WhatsApp and voice) live in `channelSettings`.
 */
export const inboxes = pgTable(
  'inboxes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The id faces that speak UUIDs (Dixa contact endpoints) use for this inbox. */
    uuid: uuid('uuid').notNull().defaultRandom(),
    name: text('name').notNull(),
    channelType: text('channel_type', { enum: channelTypes }).notNull(),
    /** Public, unguessable identifier used by the client (public) API and the widget. */
    identifier: text('identifier').notNull(),
    channelSettings: jsonb('channel_settings').$type<Record<string, unknown>>().notNull().default({}),
    avatarUrl: text('avatar_url'),
    greetingEnabled: boolean('greeting_enabled').notNull().default(false),
    greetingMessage: text('greeting_message'),
    workingHoursEnabled: boolean('working_hours_enabled').notNull().default(false),
    workingHours: jsonb('working_hours').$type<WorkingHoursDay[]>().notNull().default([]),
    timezone: text('timezone').notNull().default('UTC'),
    outOfOfficeMessage: text('out_of_office_message'),
    enableAutoAssignment: boolean('enable_auto_assignment').notNull().default(true),
    autoAssignmentConfig: jsonb('auto_assignment_config').$type<AutoAssignmentConfig>().notNull().default({}),
    csatSurveyEnabled: boolean('csat_survey_enabled').notNull().default(false),
    enableEmailCollect: boolean('enable_email_collect').notNull().default(true),
    allowMessagesAfterResolved: boolean('allow_messages_after_resolved').notNull().default(true),
    lockToSingleConversation: boolean('lock_to_single_conversation').notNull().default(false),
    senderNameType: text('sender_name_type', { enum: ['friendly', 'professional'] })
      .notNull()
      .default('friendly'),
    businessName: text('business_name'),
    hmacMandatory: boolean('hmac_mandatory').notNull().default(false),
    agentBotId: bigint('agent_bot_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('inboxes_account_idx').on(table.accountId, table.id),
    uniqueIndex('inboxes_identifier_key').on(table.identifier),
    uniqueIndex('inboxes_uuid_key').on(table.uuid),
    index('inboxes_agent_bot_idx')
      .on(table.agentBotId)
      .where(sql`${table.agentBotId} IS NOT NULL`),
  ],
);

/**
 * Agents who answer an inbox. `lastAssignedAt` drives round-robin: the available member who was
 * assigned longest ago (never first) gets the next conversation.
 */
export const inboxMembers = pgTable(
  'inbox_members',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    inboxId: bigint('inbox_id', { mode: 'number' })
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    assignmentCount: integer('assignment_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.inboxId, table.userId] }),
    index('inbox_members_user_idx').on(table.accountId, table.userId),
  ],
);

export type InboxRow = typeof inboxes.$inferSelect;
export type InboxMemberRow = typeof inboxMembers.$inferSelect;
