import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { metricCatalog, type MetricDefinition, type ReportingEventType } from './metric-catalog.js';
import { channelLabelOf } from './reporting-channels.js';
import { arrayLiteral } from './sql-arrays.js';
import { upsertCounters, type CounterInput, type CounterMetric } from './reporting-counters.js';

export interface ReportingQueue {
  id: number;
  uuid: string;
  name: string;
}

/** A reporting event to store: what the consumer (or a bulk load) derived from domain events. */
export interface ReportingEventInput {
  accountId: number;
  sourceEventId: number;
  type: ReportingEventType;
  conversationId: number;
  conversationDisplayId: number;
  channel: string;
  direction: 'INBOUND' | 'OUTBOUND';
  queueId: number | null;
  /** The queue's UUID and name when the source event carried them (for the queue filter values). */
  queue?: ReportingQueue | undefined;
  agentId: number | null;
  agentIds: number[];
  durationMs: number | null;
  handlingMs: number | null;
  score: number | null;
  isPositive: boolean | null;
  occurredAt: Date;
  /** The conversation's inbox, team and labels when it happened (Chatwoot's report dimensions). */
  inboxId?: number | null | undefined;
  teamId?: number | null | undefined;
  labels?: string[] | undefined;
}

/** Dimension bits of an aggregate row's `grouping`. */
export const groupingBits = { channel: 1, initial_direction: 2, queue_id: 4, agent_id: 8 } as const;
export const FULL_GROUPING = 15;
/**
 * The groupings kept at day grain: none, each single dimension and each pair (a two-filter query,
 * e.g. channel and queue, then reads a few rows per day instead of every hour row of the period),
 * which stay a few rows per day however busy the account. Every dimension at once stays at hour
 * grain only: those rows are as sparse as the events, so day rows of them would save little and
 * cost as much again. Migration 0024 backfilled the pairs from the hour rows.
 */
export const dayGroupings = [0, 1, 2, 4, 8, 3, 5, 6, 9, 10, 12] as const;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function metricValueOf(event: ReportingEventInput, metric: MetricDefinition): number | null {
  switch (metric.value) {
    case 'none':
      return 0;
    case 'duration':
      return event.durationMs;
    case 'handling':
      return event.handlingMs;
    case 'score':
      return event.score;
    case 'sla':
      return event.isPositive === null ? null : event.durationMs;
  }
}

interface AggregateRow {
  accountId: number;
  metric: string;
  grain: 'hour' | 'day';
  grouping: number;
  bucket: string;
  channel: string;
  direction: string;
  queueId: number;
  agentId: number;
  count: number;
  sum: number;
  sumSquares: number;
  min: number;
  max: number;
  hits: number;
}

type AggregateKey = Pick<
  AggregateRow,
  'grain' | 'grouping' | 'bucket' | 'channel' | 'direction' | 'queueId' | 'agentId'
>;

function aggregateKeys(event: ReportingEventInput): AggregateKey[] {
  const time = event.occurredAt.getTime();
  const hour = new Date(Math.floor(time / HOUR_MS) * HOUR_MS).toISOString();
  const day = new Date(Math.floor(time / DAY_MS) * DAY_MS).toISOString();
  const key = (grain: 'hour' | 'day', bucket: string, grouping: number): AggregateKey => ({
    grain,
    grouping,
    bucket,
    channel: grouping & groupingBits.channel ? event.channel : '',
    direction: grouping & groupingBits.initial_direction ? event.direction : '',
    queueId: grouping & groupingBits.queue_id ? (event.queueId ?? 0) : 0,
    agentId: grouping & groupingBits.agent_id ? (event.agentId ?? 0) : 0,
  });
  return [key('hour', hour, FULL_GROUPING), ...dayGroupings.map((grouping) => key('day', day, grouping))];
}

/** Folds events into aggregate rows, one per key, so an upsert never touches a row twice. */
export function aggregateRowsOf(events: ReportingEventInput[]): AggregateRow[] {
  const rows = new Map<string, AggregateRow>();
  for (const event of events) {
    const metrics = metricCatalog.filter((metric) => metric.eventType === event.type);
    if (metrics.length === 0) continue;
    const keys = aggregateKeys(event);
    for (const metric of metrics) {
      const value = metricValueOf(event, metric);
      if (value === null) continue;
      const hit = metric.aggregations.includes('Percentage') && event.isPositive ? 1 : 0;
      for (const key of keys) {
        const id = `${event.accountId}|${metric.id}|${key.grain}|${key.grouping}|${key.bucket}|${key.channel}|${key.direction}|${key.queueId}|${key.agentId}`;
        const row = rows.get(id);
        if (row) {
          row.count += 1;
          row.sum += value;
          row.sumSquares += value * value;
          row.min = Math.min(row.min, value);
          row.max = Math.max(row.max, value);
          row.hits += hit;
        } else {
          rows.set(id, {
            accountId: event.accountId,
            metric: metric.id,
            ...key,
            count: 1,
            sum: value,
            sumSquares: value * value,
            min: value,
            max: value,
            hits: hit,
          });
        }
      }
    }
  }
  return [...rows.values()];
}

async function insertRaw(db: Db, events: ReportingEventInput[]): Promise<Set<string>> {
  const payload = events.map((event) => ({
    account_id: event.accountId,
    source_event_id: event.sourceEventId,
    type: event.type,
    conversation_id: event.conversationId,
    conversation_display_id: event.conversationDisplayId,
    channel: event.channel,
    direction: event.direction,
    queue_id: event.queueId,
    agent_id: event.agentId,
    agent_ids: event.agentIds,
    duration_ms: event.durationMs,
    handling_ms: event.handlingMs,
    score: event.score,
    is_positive: event.isPositive,
    occurred_at: event.occurredAt.toISOString(),
    inbox_id: event.inboxId ?? null,
    team_id: event.teamId ?? null,
  }));
  const inserted = await queryRows<{
    account_id: string | number;
    source_event_id: string | number;
    type: string;
  }>(
    db,
    sql`INSERT INTO reporting_events (account_id, source_event_id, type, conversation_id, conversation_display_id,
          channel, direction, queue_id, agent_id, agent_ids, duration_ms, handling_ms, score, is_positive, occurred_at,
          inbox_id, team_id)
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(account_id bigint,
          source_event_id bigint, type text, conversation_id bigint, conversation_display_id bigint, channel text,
          direction text, queue_id bigint, agent_id bigint, agent_ids bigint[], duration_ms bigint,
          handling_ms bigint, score integer, is_positive boolean, occurred_at timestamptz, inbox_id bigint,
          team_id bigint)
        ON CONFLICT (account_id, source_event_id, type) DO NOTHING
        RETURNING account_id, source_event_id, type`,
  );
  return new Set(inserted.map((row) => `${row.account_id}|${row.source_event_id}|${row.type}`));
}

async function upsertAggregates(db: Db, rows: AggregateRow[]): Promise<void> {
  if (rows.length === 0) return;
  const column = (key: keyof AggregateRow) => arrayLiteral(rows.map((row) => row[key]));
  // Column arrays rather than JSON: a tenth of the bytes, and unnest needs no per-row parsing.
  await db.execute(sql`
    INSERT INTO reporting_aggregates AS agg (account_id, metric, grain, "grouping", bucket, channel, direction,
      queue_id, agent_id, count, sum, sum_squares, min, max, hits)
    SELECT * FROM unnest(${column('accountId')}::bigint[], ${column('metric')}::text[], ${column('grain')}::text[],
      ${column('grouping')}::smallint[], ${column('bucket')}::timestamptz[], ${column('channel')}::text[],
      ${column('direction')}::text[], ${column('queueId')}::bigint[], ${column('agentId')}::bigint[],
      ${column('count')}::bigint[], ${column('sum')}::numeric[], ${column('sumSquares')}::numeric[],
      ${column('min')}::float8[], ${column('max')}::float8[], ${column('hits')}::bigint[])
    ON CONFLICT (account_id, metric, grain, "grouping", bucket, channel, direction, queue_id, agent_id)
    DO UPDATE SET count = agg.count + excluded.count, sum = agg.sum + excluded.sum,
      sum_squares = agg.sum_squares + excluded.sum_squares, min = least(agg.min, excluded.min),
      max = greatest(agg.max, excluded.max), hits = agg.hits + excluded.hits, updated_at = now()`);
}

async function upsertDimensions(db: Db, events: ReportingEventInput[]): Promise<void> {
  const dimensions = new Map<
    string,
    { account_id: number; attribute: string; value: string; label: string; internal_id: number | null }
  >();
  const add = (
    accountId: number,
    attribute: string,
    value: string,
    label: string,
    internalId: number | null,
  ) =>
    dimensions.set(`${accountId}|${attribute}|${value}`, {
      account_id: accountId,
      attribute,
      value,
      label,
      internal_id: internalId,
    });
  for (const event of events) {
    add(event.accountId, 'channel', event.channel, channelLabelOf(event.channel), null);
    add(
      event.accountId,
      'initial_direction',
      event.direction,
      event.direction === 'INBOUND' ? 'Inbound' : 'Outbound',
      null,
    );
    if (event.queue) add(event.accountId, 'queue_id', event.queue.uuid, event.queue.name, event.queue.id);
  }
  const rows = [...dimensions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
  if (rows.length === 0) return;
  await db.execute(sql`
    INSERT INTO reporting_dimensions AS dim (account_id, attribute, value, label, internal_id)
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(account_id bigint, attribute text, value text, label text, internal_id bigint)
    ON CONFLICT (account_id, attribute, value) DO UPDATE SET label = excluded.label,
      internal_id = coalesce(excluded.internal_id, dim.internal_id), updated_at = now()
    WHERE dim.label IS DISTINCT FROM excluded.label OR dim.internal_id IS DISTINCT FROM excluded.internal_id`);
}

/**
 * An assignment from a queue with an SLA time limit (`queueThresholds.SlaTimeLimit`, seconds) is
 * within SLA or not, by the limit when it happened: later changes to the limit do not rewrite
 * history. One query for the batch's queues.
 */
async function judgeSla(db: Db, events: ReportingEventInput[]): Promise<void> {
  const judged = events.filter(
    (event) =>
      event.type === 'assigned' &&
      event.queueId !== null &&
      event.durationMs !== null &&
      event.isPositive === null,
  );
  const queueIds = [...new Set(judged.map((event) => event.queueId))];
  if (queueIds.length === 0) return;
  const limits = await queryRows<{ id: string | number; limit_seconds: number }>(
    db,
    sql`SELECT id, (queue_thresholds->>'SlaTimeLimit')::int AS limit_seconds FROM routing_queues
        WHERE id = ANY(${arrayLiteral(queueIds.map(Number))}::bigint[]) AND queue_thresholds ? 'SlaTimeLimit'`,
  );
  const limitOf = new Map(limits.map((row) => [Number(row.id), row.limit_seconds * 1000]));
  for (const event of judged) {
    const limitMs = limitOf.get(Number(event.queueId));
    if (limitMs !== undefined && event.durationMs !== null) event.isPositive = event.durationMs <= limitMs;
  }
}

const counterMetricOf: Partial<Record<ReportingEventType, CounterMetric>> = {
  first_response: 'first_response',
  closed: 'resolution',
  reply: 'reply_time',
};

/** The Chatwoot counters a stored reporting event adds to (durations in seconds). */
function countersOf(events: ReportingEventInput[]): CounterInput[] {
  return events.flatMap((event) => {
    const metric = counterMetricOf[event.type];
    if (!metric || event.durationMs === null) return [];
    return [
      {
        accountId: event.accountId,
        metric,
        at: event.occurredAt,
        inboxId: event.inboxId ?? null,
        teamId: event.teamId ?? null,
        agentId: event.agentId,
        labels: event.labels ?? [],
        value: event.durationMs / 1000,
      },
    ];
  });
}

/**
 * Stores reporting events and folds them into the aggregates in the caller's transaction: one
 * insert for the events, one upsert for the aggregates. Events already stored (same source event
 * and type) are skipped, so a replayed batch changes nothing. `counted` are the batch's messages
 * for the Chatwoot counters, already filtered for replays by the consumer.
 */
export async function recordReportingEvents(
  db: Db,
  events: ReportingEventInput[],
  counted: CounterInput[] = [],
): Promise<number> {
  if (events.length === 0) {
    await upsertCounters(db, counted);
    return 0;
  }
  await judgeSla(db, events);
  const inserted = await insertRaw(db, events);
  const fresh = events.filter((event) =>
    inserted.has(`${event.accountId}|${event.sourceEventId}|${event.type}`),
  );
  await upsertAggregates(db, aggregateRowsOf(fresh));
  await upsertDimensions(db, fresh);
  await upsertCounters(db, [...countersOf(fresh), ...counted]);
  return fresh.length;
}
