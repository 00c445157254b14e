import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';
import { calls } from '../calls/calls.tables.js';
import {
  campaignContacts,
  campaigns,
  dialingModes,
  wrapupCodes,
  wrapupStatuses,
} from '../campaigns/campaigns.tables.js';

/** What the carrier reported for one dial; `abandoned` = answered with no agent within 2 s. */
export const dialOutcomes = [
  'answered',
  'busy',
  'no_answer',
  'machine',
  'invalid_number',
  'abandoned',
  'failed',
] as const;
export type DialOutcome = (typeof dialOutcomes)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

const accountId = () =>
  bigint('account_id', { mode: 'number' })
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' });

/** Numbers the dialer never calls, per account (digits of the E.164 form, no "+"). */
export const doNotCallNumbers = pgTable(
  'do_not_call_numbers',
  {
    accountId: accountId(),
    phoneNumber: text('phone_number').notNull(),
    reason: text('reason').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.phoneNumber] })],
);

/** One dial of one contact's number: what the carrier said and, when answered, which agent took it. */
export const dialerAttempts = pgTable(
  'dialer_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    campaignContactId: bigint('campaign_contact_id', { mode: 'number' }).references(
      () => campaignContacts.id,
      { onDelete: 'set null' },
    ),
    mode: text('mode', { enum: dialingModes }).notNull(),
    phoneName: text('phone_name').notNull(),
    phoneNumber: text('phone_number').notNull(),
    /** The agent the call was meant for (preview, progressive) or connected to. */
    agentId: bigint('agent_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    callId: bigint('call_id', { mode: 'number' }).references(() => calls.id, { onDelete: 'set null' }),
    /** The carrier's call reference, for matching its events. */
    carrierCallId: text('carrier_call_id'),
    /** Null while the call is ringing. */
    outcome: text('outcome', { enum: dialOutcomes }),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    connectedAt: timestamp('connected_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    wrappedUpAt: timestamp('wrapped_up_at', { withTimezone: true }),
    wrapupId: bigint('wrapup_id', { mode: 'number' }).references(() => wrapupCodes.id, {
      onDelete: 'set null',
    }),
    wrapupStatus: text('wrapup_status', { enum: wrapupStatuses }),
    ...timestamps,
  },
  (table) => [
    index('dialer_attempts_campaign_placed_idx').on(table.campaignId, table.placedAt),
    index('dialer_attempts_contact_placed_idx').on(table.campaignContactId, table.placedAt),
    index('dialer_attempts_account_number_idx').on(table.accountId, table.phoneNumber, table.placedAt),
    index('dialer_attempts_live_idx')
      .on(table.campaignId)
      .where(sql`${table.endedAt} IS NULL`),
    uniqueIndex('dialer_attempts_carrier_call_key').on(table.carrierCallId),
    /** Predictive pacing's talk and wrap-up times: the campaign's most recently finished (dialer-stats.ts). */
    index('dialer_attempts_campaign_ended_idx')
      .on(table.campaignId, table.endedAt)
      .where(sql`${table.connectedAt} IS NOT NULL`),
    index('dialer_attempts_campaign_wrapped_idx')
      .on(table.campaignId, table.wrappedUpAt)
      .where(sql`${table.wrappedUpAt} IS NOT NULL`),
    /** The 30-day abandonment rate counts person-answered calls only. */
    index('dialer_attempts_campaign_answered_idx')
      .on(table.campaignId, table.placedAt)
      .where(sql`${table.outcome} IN ('answered', 'abandoned')`),
  ],
);

/**
 * The dialer's audit trail: every decision (dial, skip, throttle, pace) with its reason and inputs,
 * so an audit can replay why a number was or was not dialled.
 */
export const dialerDecisions = pgTable(
  'dialer_decisions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: accountId(),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    campaignContactId: bigint('campaign_contact_id', { mode: 'number' }),
    attemptId: bigint('attempt_id', { mode: 'number' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [
    index('dialer_decisions_campaign_idx').on(table.campaignId, table.decidedAt),
    index('dialer_decisions_contact_idx').on(table.campaignContactId),
  ],
);

export const dialerAgentStates = ['ready', 'reserved', 'on_call', 'wrap_up', 'paused'] as const;
export type DialerAgentState = (typeof dialerAgentStates)[number];

/** An agent logged into a campaign and what they are doing in it; the dialer paces on these. */
export const dialerAgents = pgTable(
  'dialer_agents',
  {
    accountId: accountId(),
    campaignId: bigint('campaign_id', { mode: 'number' })
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    state: text('state', { enum: dialerAgentStates }).notNull().default('ready'),
    attemptId: bigint('attempt_id', { mode: 'number' }),
    /** Preview mode: the contact offered to the agent (reserved), until accepted or skipped. */
    previewContactId: bigint('preview_contact_id', { mode: 'number' }),
    stateSince: timestamp('state_since', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.campaignId, table.userId] }),
    index('dialer_agents_user_idx').on(table.userId),
    index('dialer_agents_campaign_state_idx').on(table.campaignId, table.state, table.stateSince),
  ],
);

export type DialerAttemptRow = typeof dialerAttempts.$inferSelect;
export type DialerAgentRow = typeof dialerAgents.$inferSelect;
export type DialerDecisionRow = typeof dialerDecisions.$inferSelect;
