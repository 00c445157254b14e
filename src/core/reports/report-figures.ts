import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { BUCKET_MS } from '../analytics/index.js';
import { periodSql, type GroupBy, type ReportRange } from './report-range.js';
import { conversationCondition, type ReportScope } from './report-scope.js';

/** A count and, for durations, the sum of the values (seconds). */
export interface Tally {
  count: number;
  sum: number;
}

export const emptyTally = (): Tally => ({ count: 0, sum: 0 });

type Rows = {
  metric?: string;
  key?: string;
  period?: string | number;
  count: string | number;
  sum: string | number | null;
}[];

const tallyOf = (row: { count: string | number; sum: string | number | null }): Tally => ({
  count: Number(row.count),
  sum: Number(row.sum ?? 0),
});

const inRange = (column: SQL, range: ReportRange) =>
  sql`${column} >= ${range.since.toISOString()} AND ${column} <= ${range.until.toISOString()}`;

const DAY_MS = 86_400_000;
const counterColumns = sql.raw('metric, dimension, dimension_key, bucket, count, sum');

/**
 * The counter rows of a range, as a subquery (alias it) with `reporting_counters`' columns:
 * `where` names the rows (account, metric, dimension, key; unqualified columns). The quarter hours
 * that start in the range count; the whole UTC days among them are read from the day rollup and
 * only the quarter hours at the edges from the quarter-hour table, so a 180-day range reads about
 * 180 rows per key instead of 17,000. `dayAligned: false` keeps every row a quarter hour (a
 * series grouped in a time zone whose days do not start at a UTC midnight).
 */
function countersIn(range: ReportRange, where: SQL, { dayAligned = true } = {}): SQL {
  const since = range.since.getTime();
  const until = range.until.getTime();
  const firstDay = Math.ceil(since / DAY_MS) * DAY_MS;
  // A day is whole when its last quarter hour starts no later than `until`.
  const endDay = Math.floor((until + BUCKET_MS) / DAY_MS) * DAY_MS;
  const at = (ms: number) => new Date(ms).toISOString();
  const quarters = (from: number, to: SQL) =>
    sql`SELECT ${counterColumns} FROM reporting_counters WHERE ${where} AND bucket >= ${at(from)} AND ${to}`;
  if (!dayAligned || endDay <= firstDay) return sql`(${quarters(since, sql`bucket <= ${at(until)}`)})`;
  return sql`(${quarters(since, sql`bucket < ${at(firstDay)}`)}
    UNION ALL SELECT ${counterColumns} FROM reporting_counter_days
      WHERE ${where} AND bucket >= ${at(firstDay)} AND bucket < ${at(endDay)}
    UNION ALL ${quarters(endDay, sql`bucket <= ${at(until)}`)})`;
}

const metricList = (metrics: readonly string[]) =>
  sql.join(
    metrics.map((metric) => sql`${metric}`),
    sql`, `,
  );

/** Totals of counter metrics for one scope over the range: one indexed range read per metric. */
export async function counterTotals(
  db: Db,
  scope: ReportScope,
  metrics: readonly string[],
  range: ReportRange,
): Promise<Map<string, Tally>> {
  const rows: Rows = await queryRows(
    db,
    sql`SELECT metric, sum(count) AS count, sum(sum) AS sum
        FROM ${countersIn(range, sql`account_id = ${scope.accountId} AND metric IN (${metricList(metrics)}) AND dimension = ${scope.type} AND dimension_key = ${scope.key}`)} r
        GROUP BY metric`,
  );
  return new Map(rows.map((row) => [String(row.metric), tallyOf(row)]));
}

/** One counter metric for one scope, per period start (unix seconds). */
export async function counterSeries(
  db: Db,
  scope: ReportScope,
  metric: string,
  range: ReportRange,
  groupBy: GroupBy,
): Promise<Map<number, Tally>> {
  const period = periodSql(sql`bucket`, groupBy, range.offsetSeconds);
  const rows: Rows = await queryRows(
    db,
    sql`SELECT ${period} AS period, sum(count) AS count, sum(sum) AS sum
        FROM ${countersIn(range, sql`account_id = ${scope.accountId} AND metric = ${metric} AND dimension = ${scope.type} AND dimension_key = ${scope.key}`, { dayAligned: range.offsetSeconds % 86_400 === 0 })} r
        GROUP BY 1`,
  );
  return new Map(rows.map((row) => [Number(row.period), tallyOf(row)]));
}

/** Counter metrics over the range for every key of a dimension: `key -> metric -> tally`. */
export async function counterTotalsByKey(
  db: Db,
  accountId: number,
  dimension: string,
  metrics: readonly string[],
  range: ReportRange,
): Promise<Map<string, Map<string, Tally>>> {
  const rows: Rows = await queryRows(
    db,
    sql`SELECT dimension_key AS key, metric, sum(count) AS count, sum(sum) AS sum
        FROM ${countersIn(range, sql`account_id = ${accountId} AND metric IN (${metricList(metrics)}) AND dimension = ${dimension}`)} r
        GROUP BY 1, 2`,
  );
  const result = new Map<string, Map<string, Tally>>();
  for (const row of rows) {
    const key = String(row.key);
    const byMetric = result.get(key) ?? new Map<string, Tally>();
    byMetric.set(String(row.metric), tallyOf(row));
    result.set(key, byMetric);
  }
  return result;
}

/**
 * Conversations created in the range, counted by who they belong to now (as Chatwoot counts
 * them): read from `conversations` through its (account, created_at) index.
 */
export async function conversationTotal(db: Db, scope: ReportScope, range: ReportRange): Promise<number> {
  const [row] = await queryRows<{ count: string | number }>(
    db,
    sql`SELECT count(*) AS count FROM conversations c
        WHERE c.account_id = ${scope.accountId} AND ${inRange(sql`c.created_at`, range)} AND ${conversationCondition(scope)}`,
  );
  return Number(row?.count ?? 0);
}

export async function conversationSeries(
  db: Db,
  scope: ReportScope,
  range: ReportRange,
  groupBy: GroupBy,
): Promise<Map<number, Tally>> {
  const period = periodSql(sql`c.created_at`, groupBy, range.offsetSeconds);
  const rows: Rows = await queryRows(
    db,
    sql`SELECT ${period} AS period, count(*) AS count, 0 AS sum FROM conversations c
        WHERE c.account_id = ${scope.accountId} AND ${inRange(sql`c.created_at`, range)} AND ${conversationCondition(scope)}
        GROUP BY 1`,
  );
  return new Map(rows.map((row) => [Number(row.period), tallyOf(row)]));
}

const groupColumns = { inbox: sql`c.inbox_id`, agent: sql`c.assignee_id`, team: sql`c.team_id` };

/** Conversations created in the range per current inbox, assignee or team. */
export async function conversationCountsBy(
  db: Db,
  accountId: number,
  by: keyof typeof groupColumns,
  range: ReportRange,
): Promise<Map<string, number>> {
  const column = groupColumns[by];
  const rows = await queryRows<{ key: string | number; count: string | number }>(
    db,
    sql`SELECT ${column} AS key, count(*) AS count FROM conversations c
        WHERE c.account_id = ${accountId} AND ${inRange(sql`c.created_at`, range)} AND ${column} IS NOT NULL
        GROUP BY 1`,
  );
  return new Map(rows.map((row) => [String(row.key), Number(row.count)]));
}

export { inRange, countersIn };
