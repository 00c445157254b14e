import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { findMetric, type Measure, type MetricDefinition } from './metric-catalog.js';
import {
  filterConditions,
  filteredAttributes,
  resolveFilters,
  type FilterInput,
  type ResolvedFilters,
} from './metric-filters.js';
import type { Period } from './period.js';
import { dayGroupings, FULL_GROUPING, groupingBits } from './record-reporting-events.js';

export interface MetricQuery {
  accountId: number;
  metricId: string;
  period: Period;
  filters: FilterInput[];
  aggregations?: string[] | undefined;
}

export interface AggregateResult {
  measure: Measure;
  value: number;
  kind: 'long' | 'double';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const floorTo = (time: number, unit: number) => Math.floor(time / unit) * unit;
const ceilTo = (time: number, unit: number) => Math.ceil(time / unit) * unit;

/**
 * Splits [start, end) into whole UTC days (day aggregates), the whole hours around them (hour
 * aggregates) and the minutes at either end (raw events), so any period in any time zone, even
 * one with a half-hour offset, is summed exactly while a long period reads a few rows per day.
 * Without day rows for the filters' grouping, whole hours cover all but the minutes.
 */
export function periodSegments({ start, end }: Period, hasDays: boolean) {
  const from = start.getTime();
  const to = end.getTime();
  const hourFrom = Math.min(ceilTo(from, HOUR_MS), to);
  const hourTo = Math.max(floorTo(to, HOUR_MS), hourFrom);
  const dayFrom = hasDays ? Math.min(ceilTo(hourFrom, DAY_MS), hourTo) : hourTo;
  const dayTo = hasDays ? Math.max(floorTo(hourTo, DAY_MS), dayFrom) : hourTo;
  const range = (a: number, b: number) => ({ from: new Date(a), to: new Date(b) });
  return {
    raw: [range(from, hourFrom), range(hourTo, to)],
    hour: [range(hourFrom, dayFrom), range(dayTo, hourTo)],
    day: range(dayFrom, dayTo),
  };
}

type Range = { from: Date; to: Date };
const within = (column: SQL, ranges: Range[]) =>
  sql.join(
    ranges.map(
      (range) => sql`(${column} >= ${range.from.toISOString()} AND ${column} < ${range.to.toISOString()})`,
    ),
    sql` OR `,
  );

/** The day grouping that holds exactly the filtered dimensions, if there is one. */
function dayGroupingFor(filters: ResolvedFilters): number | undefined {
  const mask = filteredAttributes(filters).reduce((bits, attribute) => bits | groupingBits[attribute], 0);
  return (dayGroupings as readonly number[]).includes(mask) ? mask : undefined;
}

const valueColumn = {
  none: sql`0`,
  duration: sql`duration_ms`,
  handling: sql`handling_ms`,
  score: sql`score`,
  sla: sql`CASE WHEN is_positive IS NOT NULL THEN duration_ms END`,
};

function totalsQuery(
  accountId: number,
  metric: MetricDefinition,
  period: Period,
  filters: ResolvedFilters,
): SQL {
  const grouping = dayGroupingFor(filters);
  const segments = periodSegments(period, grouping !== undefined);
  const where = filterConditions(filters);
  const value = valueColumn[metric.value];
  return sql`
    SELECT coalesce(sum(count), 0) AS count, coalesce(sum(sum), 0) AS sum, min(min) AS min, max(max) AS max,
      coalesce(sum(hits), 0) AS hits,
      CASE WHEN sum(count) > 0 THEN sqrt(greatest(0, sum(sum_squares) * sum(count) - sum(sum) ^ 2)) / sum(count) END AS std_dev
    FROM (
      SELECT count, sum, sum_squares, min, max, hits FROM reporting_aggregates
      WHERE account_id = ${accountId} AND metric = ${metric.id} AND grain = 'day' AND "grouping" = ${grouping ?? -1}
        AND bucket >= ${segments.day.from.toISOString()} AND bucket < ${segments.day.to.toISOString()} AND ${where}
      UNION ALL
      SELECT count, sum, sum_squares, min, max, hits FROM reporting_aggregates
      WHERE account_id = ${accountId} AND metric = ${metric.id} AND grain = 'hour' AND "grouping" = ${FULL_GROUPING}
        AND (${within(sql`bucket`, segments.hour)}) AND ${where}
      UNION ALL
      SELECT 1::bigint, ${value}::numeric, (${value}::numeric) ^ 2, ${value}::float8, ${value}::float8,
        CASE WHEN is_positive THEN 1 ELSE 0 END::bigint
      FROM reporting_events
      WHERE account_id = ${accountId} AND type = ${metric.eventType} AND (${within(sql`occurred_at`, segments.raw)})
        AND ${value} IS NOT NULL AND ${where}
    ) parts`;
}

function requestedMeasures(metric: MetricDefinition, aggregations: string[] | undefined): Measure[] {
  if (!aggregations || aggregations.length === 0) return [...metric.aggregations];
  const unknown = aggregations.filter((name) => !(metric.aggregations as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new DomainError(
      'BAD_REQUEST',
      `aggregations: ${unknown.join(', ')} not available for ${metric.id} (available: ${metric.aggregations.join(', ')})`,
    );
  }
  return [...new Set(aggregations)] as Measure[];
}

/**
 * A metric over a period, read from the aggregates. Durations come out in seconds; measures that
 * have no value over no data (Min, Max, Average, StdDev, Percentage) are left out, never sent as 0.
 */
export async function queryMetric(db: Db, query: MetricQuery): Promise<AggregateResult[]> {
  const metric = findMetric(query.metricId);
  if (!metric) throw new DomainError('BAD_REQUEST', `id: unknown metric ${query.metricId}`);
  const measures = requestedMeasures(metric, query.aggregations);
  const filters = resolveFilters(query.accountId, query.filters, metric.filters);
  const [totals] = await queryRows<Record<string, string | number | null>>(
    db,
    totalsQuery(query.accountId, metric, query.period, filters),
  );
  const number = (key: string) => Number(totals?.[key] ?? 0);
  const count = number('count');
  const scale = metric.value === 'score' || metric.value === 'none' ? 1 : 1000;
  const values: Record<Measure, number | null> = {
    Count: count,
    Sum: number('sum') / scale,
    Min: count > 0 ? number('min') / scale : null,
    Max: count > 0 ? number('max') / scale : null,
    Average: count > 0 ? number('sum') / count / scale : null,
    StdDev: count > 0 ? number('std_dev') / scale : null,
    Percentage: count > 0 ? (number('hits') / count) * 100 : null,
  };
  return measures.flatMap((measure) => {
    const value = values[measure];
    return value === null ? [] : [{ measure, value, kind: measure === 'Count' ? 'long' : 'double' } as const];
  });
}
