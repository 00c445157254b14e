import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
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
import { inboxes } from '../inboxes/inboxes.tables.js';
import { conversations } from '../conversations/conversations.tables.js';

export const offeringAlgorithms = [
  'AllAtOnce',
  'OneAtATimeRandom',
  'LongestIdle',
  'AgentPriorityAllAtOnce',
  'AgentPriorityOneAtATimeRandom',
  'AgentPriorityLongestIdle',
] as const;
export type OfferingAlgorithm = (typeof offeringAlgorithms)[number];

export const memberListTypes = ['Default', 'SkillBased'] as const;
export type MemberListType = (typeof memberListTypes)[number];

/** waiting: no open offer; offered: one open offer; the rest are final. */
export const entryStates = ['waiting', 'offered', 'assigned', 'abandoned', 'transferred', 'closed'] as const;
export type EntryState = (typeof entryStates)[number];
export const liveEntryStates = ['waiting', 'offered'] as const;

export const offerStates = ['open', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type OfferState = (typeof offerStates)[number];

export const offerAgentStates = ['pending', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type OfferAgentState = (typeof offerAgentStates)[number];

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

/** A routing queue: where conversations wait to be offered to its members. Settings mirror Dixa's. */
export const routingQueues = pgTable(
  'routing_queues',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    uuid: uuid('uuid').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** Lower is served first when one agent could take conversations of several queues. */
    priority: integer('priority'),
    isDefault: boolean('is_default').notNull().default(false),
    memberListType: text('member_list_type', { enum: memberListTypes }).notNull().default('Default'),
    offeringAlgorithm: text('offering_algorithm', { enum: offeringAlgorithms })
      .notNull()
      .default('AllAtOnce'),
    /** Seconds an offer stays open before it moves on. */
    offerTimeout: integer('offer_timeout').notNull().default(30),
    wrapupTimeout: integer('wrapup_timeout'),
    doNotOfferTimeouts: jsonb('do_not_offer_timeouts').$type<Record<string, number>>().notNull().default({}),
    isDoNotOfferEnabled: boolean('is_do_not_offer_enabled').notNull().default(false),
    queueThresholds: jsonb('queue_thresholds').$type<Record<string, number>>().notNull().default({}),
    slaCalculationMethod: text('sla_calculation_method').notNull().default('AbandonedIgnored'),
    preferredAgentTimeouts: jsonb('preferred_agent_timeouts').$type<Record<string, number>>(),
    isPreferredAgentEnabled: boolean('is_preferred_agent_enabled'),
    offerAbandonedConversations: boolean('offer_abandoned_conversations').notNull().default(false),
    personalAgentOfflineTimeout: integer('personal_agent_offline_timeout'),
    preferredAgentOfflineTimeout: integer('preferred_agent_offline_timeout'),
    callFunctionality: boolean('call_functionality').notNull().default(false),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('routing_queues_uuid_key').on(table.uuid),
    index('routing_queues_account_idx').on(table.accountId, table.id),
    uniqueIndex('routing_queues_default_key')
      .on(table.accountId)
      .where(sql`${table.isDefault}`),
  ],
);

/** Who a queue offers to; a lower `priority` number is a better tier for the AgentPriority* algorithms. */
export const routingQueueMembers = pgTable(
  'routing_queue_members',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => routingQueues.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    priority: integer('priority').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.queueId, table.userId] }),
    index('routing_queue_members_user_idx').on(table.accountId, table.userId),
  ],
);

/** Which queue an inbox (a Dixa contact endpoint) feeds: at most one per inbox. */
export const routingQueueUsages = pgTable(
  'routing_queue_usages',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    inboxId: bigint('inbox_id', { mode: 'number' })
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => routingQueues.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.inboxId] }),
    index('routing_queue_usages_queue_idx').on(table.accountId, table.queueId),
  ],
);

/**
 * Per-agent routing state: capacity per channel (Parley channel types; absent means the default),
 * since when the agent is idle, which orders the LongestIdle algorithms, and the end of a wrap-up.
 */
export const routingAgentStates = pgTable(
  'routing_agent_states',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    capacities: jsonb('capacities').$type<Record<string, number>>().notNull().default({}),
    idleSince: timestamp('idle_since', { withTimezone: true }),
    /** After closing a queued conversation the agent wraps up (the queue's wrap-up timeout): no offers until then. */
    wrapupUntil: timestamp('wrapup_until', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [primaryKey({ columns: [table.accountId, table.userId] })],
);

/** A conversation's stay in a queue, from enqueue to assignment, abandonment or transfer. */
export const routingEntries = pgTable(
  'routing_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => routingQueues.id, { onDelete: 'cascade' }),
    state: text('state', { enum: entryStates }).notNull().default('waiting'),
    /** Agents offered this conversation since the last full cycle; one-at-a-time algorithms skip them. */
    triedUserIds: bigint('tried_user_ids', { mode: 'number' }).array().notNull().default([]),
    enqueuedAt: timestamp('enqueued_at', { withTimezone: true }).notNull().defaultNow(),
    firstOfferedAt: timestamp('first_offered_at', { withTimezone: true }),
    assignedUserId: bigint('assigned_user_id', { mode: 'number' }).references(() => users.id, {
      onDelete: 'set null',
    }),
    /** Transferred to this agent personally: offered to them alone (see personal-agent reservations). */
    personalUserId: bigint('personal_user_id', { mode: 'number' }).references(() => users.id, {
      onDelete: 'set null',
    }),
    /** The end user left while it waited, in a queue that still offers abandoned conversations. */
    abandonedAt: timestamp('abandoned_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    ...timestamps,
  },
  (table) => [
    uniqueIndex('routing_entries_live_key')
      .on(table.accountId, table.conversationId)
      .where(sql`${table.state} IN ('waiting', 'offered')`),
    index('routing_entries_conversation_idx').on(table.accountId, table.conversationId, table.id),
    index('routing_entries_waiting_idx')
      .on(table.accountId, table.queueId, table.enqueuedAt)
      .where(sql`${table.state} = 'waiting'`),
  ],
);

/** One offering round of an entry to one or more agents; at most one is open per entry. */
export const routingOffers = pgTable(
  'routing_offers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    entryId: bigint('entry_id', { mode: 'number' })
      .notNull()
      .references(() => routingEntries.id, { onDelete: 'cascade' }),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    queueId: bigint('queue_id', { mode: 'number' }).notNull(),
    /** The inbox's channel type, so capacity counts pending offers per channel without a join. */
    channel: text('channel').notNull(),
    state: text('state', { enum: offerStates }).notNull().default('open'),
    offeredAt: timestamp('offered_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    acceptedUserId: bigint('accepted_user_id', { mode: 'number' }),
  },
  (table) => [
    uniqueIndex('routing_offers_open_key')
      .on(table.entryId)
      .where(sql`${table.state} = 'open'`),
    index('routing_offers_entry_idx').on(table.accountId, table.entryId, table.id),
    /** Do-not-offer looks up who refused this conversation, across its stays in queues. */
    index('routing_offers_conversation_idx').on(table.accountId, table.conversationId),
  ],
);

/** Each agent an offer went to, with that agent's answer. */
export const routingOfferAgents = pgTable(
  'routing_offer_agents',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    offerId: bigint('offer_id', { mode: 'number' })
      .notNull()
      .references(() => routingOffers.id, { onDelete: 'cascade' }),
    userId: bigint('user_id', { mode: 'number' })
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    state: text('state', { enum: offerAgentStates }).notNull().default('pending'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.offerId, table.userId] }),
    index('routing_offer_agents_pending_idx')
      .on(table.accountId, table.userId, table.channel)
      .where(sql`${table.state} = 'pending'`),
  ],
);

export const queueThresholdAlerts = [
  'AvailableAgents',
  'LongestWait',
  'SlaPercentage',
  'WaitingConversations',
] as const;
export type QueueThresholdAlert = (typeof queueThresholdAlerts)[number];

/**
 * Whether each alert threshold of a queue is crossed now, so a crossing is recorded once (when the
 * flag turns on) rather than at every check.
 */
export const routingQueueAlerts = pgTable(
  'routing_queue_alerts',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    queueId: bigint('queue_id', { mode: 'number' })
      .notNull()
      .references(() => routingQueues.id, { onDelete: 'cascade' }),
    threshold: text('threshold', { enum: queueThresholdAlerts }).notNull(),
    isCrossed: boolean('is_crossed').notNull().default(false),
    value: doublePrecision('value'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.queueId, table.threshold] })],
);

export type QueueRow = typeof routingQueues.$inferSelect;
export type QueueMemberRow = typeof routingQueueMembers.$inferSelect;
export type EntryRow = typeof routingEntries.$inferSelect;
export type OfferRow = typeof routingOffers.$inferSelect;
