import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { arrayLiteral } from './sql-arrays.js';

/** The Chatwoot figures kept in `reporting_counters` (values in seconds). */
export const counterMetrics = [
  'incoming_messages',
  'outgoing_messages',
  'first_response',
  'resolution',
  'reply_time',
] as const;
export type CounterMetric = (typeof counterMetrics)[number];

/** First response times by channel, in Chatwoot's distribution bins (kept per inbox). */
export const firstResponseBins = [
  { name: '0-1h', upToSeconds: 3_600 },
  { name: '1-4h', upToSeconds: 14_400 },
  { name: '4-8h', upToSeconds: 28_800 },
  { name: '8-24h', upToSeconds: 86_400 },
  { name: '24h+', upToSeconds: Infinity },
] as const;
export const binMetricOf = (seconds: number) =>
  `first_response_bin:${firstResponseBins.find((bin) => seconds < bin.upToSeconds)?.name ?? '24h+'}`;

/** One thing to count: a message or a reporting event, with the conversation's dimensions then. */
export interface CounterInput {
  accountId: number;
  metric: CounterMetric;
  at: Date;
  inboxId: number | null;
  teamId: number | null;
  /** The agent it is about: the sender of a reply, the assignee of a resolution; null for none. */
  agentId: number | null;
  labels: string[];
  /** Seconds, for durations; null when only counted. */
  value: number | null;
}

interface CounterRow {
  accountId: number;
  metric: string;
  dimension: string;
  key: string;
  bucket: string;
  count: number;
  sum: number;
}

export const BUCKET_MS = 15 * 60_000;

function dimensionsOf(input: CounterInput): [string, string][] {
  const keys: [string, string][] = [['account', '']];
  if (input.inboxId !== null) keys.push(['inbox', String(input.inboxId)]);
  if (input.teamId !== null) keys.push(['team', String(input.teamId)]);
  if (input.agentId !== null) keys.push(['agent', String(input.agentId)]);
  for (const label of new Set(input.labels)) keys.push(['label', label]);
  return keys;
}

/** Folds inputs into one row per key, so the upsert never touches a row twice. */
export function counterRowsOf(inputs: CounterInput[]): CounterRow[] {
  const rows = new Map<string, CounterRow>();
  const add = (input: CounterInput, metric: string, dimension: string, key: string) => {
    const bucket = new Date(Math.floor(input.at.getTime() / BUCKET_MS) * BUCKET_MS).toISOString();
    const id = `${input.accountId}|${metric}|${dimension}|${key}|${bucket}`;
    const row = rows.get(id);
    const value = input.value ?? 0;
    if (row) {
      row.count += 1;
      row.sum += value;
    } else {
      rows.set(id, { accountId: input.accountId, metric, dimension, key, bucket, count: 1, sum: value });
    }
  };
  for (const input of inputs) {
    for (const [dimension, key] of dimensionsOf(input)) add(input, input.metric, dimension, key);
    if (input.metric === 'first_response' && input.value !== null && input.inboxId !== null) {
      add(input, binMetricOf(input.value), 'inbox', String(input.inboxId));
    }
  }
  return [...rows.values()];
}

/**
 * Adds the inputs to the quarter-hour counters and to their day rollup in one statement (column
 * arrays: no per-row JSON parsing). The day rows are grouped first: an upsert may touch a row once.
 */
export async function upsertCounters(db: Db, inputs: CounterInput[]): Promise<void> {
  const rows = counterRowsOf(inputs);
  if (rows.length === 0) return;
  const column = (key: keyof CounterRow) => arrayLiteral(rows.map((row) => row[key]));
  await db.execute(sql`
    WITH input (account_id, metric, dimension, dimension_key, bucket, count, sum) AS (
      SELECT * FROM unnest(${column('accountId')}::bigint[], ${column('metric')}::text[],
        ${column('dimension')}::text[], ${column('key')}::text[], ${column('bucket')}::timestamptz[],
        ${column('count')}::bigint[], ${column('sum')}::float8[])
    ), quarters AS (
      INSERT INTO reporting_counters AS c (account_id, metric, dimension, dimension_key, bucket, count, sum)
      SELECT * FROM input
      ON CONFLICT (account_id, metric, dimension, dimension_key, bucket)
      DO UPDATE SET count = c.count + excluded.count, sum = c.sum + excluded.sum, updated_at = now()
    )
    INSERT INTO reporting_counter_days AS d (account_id, metric, dimension, dimension_key, bucket, count, sum)
    SELECT account_id, metric, dimension, dimension_key, ${dayOf(sql`bucket`)}, sum(count), sum(sum)
    FROM input GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (account_id, metric, dimension, dimension_key, bucket)
    DO UPDATE SET count = d.count + excluded.count, sum = d.sum + excluded.sum, updated_at = now()`);
}

/** The UTC day holding a timestamp, as the day rollup keys it. */
export const dayOf = (timestamp: SQL) =>
  sql`date_bin('1 day', ${timestamp}, timestamptz '1970-01-01 00:00:00+00')`;
