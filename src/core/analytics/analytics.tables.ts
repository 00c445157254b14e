import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * One row per reportable thing that happened to a conversation (created, enqueued, offered,
 * assigned, first response, closed, abandoned, rated), written by the reporting consumer from the
 * outbox. `source_event_id` + `type` make replays harmless. Agents and queues are internal ids
 * without foreign keys: reports outlive the agents and queues they mention.
 */
export const reportingEvents = pgTable(
  'reporting_events',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    sourceEventId: bigint('source_event_id', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    /** The Dixa conversation id: the per-account display id. */
    conversationDisplayId: bigint('conversation_display_id', { mode: 'number' }).notNull(),
    /** The Dixa channel code (`EMAIL`, `WIDGET_CHAT`...), what the `channel` filter compares. */
    channel: text('channel').notNull(),
    /** `INBOUND` or `OUTBOUND`, what the `initial_direction` filter compares. */
    direction: text('direction').notNull(),
    queueId: bigint('queue_id', { mode: 'number' }),
    agentId: bigint('agent_id', { mode: 'number' }),
    /** The conversation's inbox and team when it happened (null on rows from before they were kept). */
    inboxId: bigint('inbox_id', { mode: 'number' }),
    teamId: bigint('team_id', { mode: 'number' }),
    /** Every agent an offer went to. */
    agentIds: bigint('agent_ids', { mode: 'number' }).array().notNull().default([]),
    /** Wait, first-response, resolution or abandonment time, by type. */
    durationMs: bigint('duration_ms', { mode: 'number' }),
    /** Closed only: time since the last assignment. */
    handlingMs: bigint('handling_ms', { mode: 'number' }),
    score: integer('score'),
    /** Rated only: whether the rating counts as satisfied (the CSAT percentage). */
    isPositive: boolean('is_positive'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('reporting_events_source_key').on(table.accountId, table.sourceEventId, table.type),
    index('reporting_events_type_time_idx').on(table.accountId, table.type, table.occurredAt, table.id),
    index('reporting_events_conversation_idx').on(table.accountId, table.conversationId, table.occurredAt),
  ],
);

export type ReportingEventRow = typeof reportingEvents.$inferSelect;

/**
 * Pre-aggregated reporting events: per account, metric, time bucket and dimension values, the
 * count, sum, sum of squares, min and max of the metric's value (and a count of "hits" for
 * percentages). These combine exactly across buckets, so Count, Sum, Min, Max, Average, StdDev
 * and Percentage over any period are exact. `grouping` says which dimensions a row keeps (bit 1
 * channel, 2 direction, 4 queue, 8 agent); the others are rolled up and stored as ''/0. Hour
 * rows keep every dimension; day rows (UTC days) exist for none, per single dimension and per pair
 * of dimensions, so a long period with up to two filters reads a few rows per day.
 */
export const reportingAggregates = pgTable(
  'reporting_aggregates',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    metric: text('metric').notNull(),
    grain: text('grain', { enum: ['hour', 'day'] }).notNull(),
    grouping: smallint('grouping').notNull(),
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    channel: text('channel').notNull().default(''),
    direction: text('direction').notNull().default(''),
    queueId: bigint('queue_id', { mode: 'number' }).notNull().default(0),
    agentId: bigint('agent_id', { mode: 'number' }).notNull().default(0),
    count: bigint('count', { mode: 'number' }).notNull(),
    sum: numeric('sum').notNull(),
    sumSquares: numeric('sum_squares').notNull(),
    min: doublePrecision('min').notNull(),
    max: doublePrecision('max').notNull(),
    hits: bigint('hits', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({
      columns: [
        table.accountId,
        table.metric,
        table.grain,
        table.grouping,
        table.bucket,
        table.channel,
        table.direction,
        table.queueId,
        table.agentId,
      ],
    }),
  ],
);

/**
 * What the consumer remembers of each conversation to turn later events into durations: when it
 * was created, since when it waits (enqueued or created), its queue, current agent and when that
 * agent got it, and whether it had its first response.
 */
export const reportingConversations = pgTable(
  'reporting_conversations',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    conversationId: bigint('conversation_id', { mode: 'number' }).notNull(),
    channel: text('channel').notNull(),
    direction: text('direction').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    queueId: bigint('queue_id', { mode: 'number' }),
    agentId: bigint('agent_id', { mode: 'number' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** Since when the contact waits for a reply after the first response (Chatwoot's reply time). */
    replyWaitingSince: timestamp('reply_waiting_since', { withTimezone: true }),
    /** The last outbox event counted for this conversation: a batch handed over again counts nothing twice. */
    lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.conversationId] })],
);

export type ReportingConversationRow = typeof reportingConversations.$inferSelect;

/**
 * Filter values seen in an account's reporting data (channels, directions, queues), with their
 * labels and, for queues, the internal id the aggregates store: `GET /analytics/filter/...` lists
 * them and metric queries turn a queue's UUID into its id here.
 */
export const reportingDimensions = pgTable(
  'reporting_dimensions',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    attribute: text('attribute').notNull(),
    value: text('value').notNull(),
    label: text('label').notNull(),
    internalId: bigint('internal_id', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.attribute, table.value] }),
    index('reporting_dimensions_internal_idx')
      .on(table.accountId, table.attribute, table.internalId)
      .where(sql`${table.internalId} IS NOT NULL`),
  ],
);

/** A counter table: one row per account, metric, dimension key and bucket (both tables share it). */
const counterTable = (name: string) =>
  pgTable(
    name,
    {
      accountId: bigint('account_id', { mode: 'number' }).notNull(),
      metric: text('metric').notNull(),
      dimension: text('dimension').notNull(),
      dimensionKey: text('dimension_key').notNull(),
      bucket: timestamp('bucket', { withTimezone: true }).notNull(),
      count: bigint('count', { mode: 'number' }).notNull(),
      sum: doublePrecision('sum').notNull(),
      updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [
      primaryKey({
        columns: [table.accountId, table.metric, table.dimension, table.dimensionKey, table.bucket],
      }),
    ],
  );

/**
 * Chatwoot's report figures, pre-aggregated as things happen: per account, metric, 15-minute
 * bucket and dimension (`account` with key '', `inbox`, `agent`, `team` by id, `label` by name),
 * the count and the sum of the values in seconds. Quarter hours let every whole-quarter time zone
 * offset (+05:30, +05:45) group days exactly; a year of one dimension is at most 35,040 rows.
 * Inbox, team and labels are the conversation's when the message or event happened.
 */
export const reportingCounters = counterTable('reporting_counters');

/**
 * `reporting_counters` summed per UTC day, written in the same statement: long report ranges read
 * whole days here and only the quarter hours at their edges (see `countersIn`).
 */
export const reportingCounterDays = counterTable('reporting_counter_days');
