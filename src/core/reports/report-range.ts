import { sql, type SQL } from 'drizzle-orm';
import { DomainError } from '../../platform/errors.js';

export const groupByValues = ['day', 'week', 'month', 'year'] as const;
export type GroupBy = (typeof groupByValues)[number];

/**
 * A report's period as Chatwoot takes it: `since..until`, both ends included (unix seconds), read
 * in a fixed UTC offset (`timezone_offset`, hours). Counters are kept per quarter hour, so a
 * quarter counts when it starts inside the range: exact for the day-aligned ranges Chatwoot's
 * clients send (00:00:00 to 23:59:59 local).
 */
export interface ReportRange {
  since: Date;
  until: Date;
  offsetSeconds: number;
}

const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 10 * 366 * DAY_MS;

/** A report's range from a request: `until` defaults to now and `since` to a week before it. */
export function reportRangeOf(input: {
  since?: Date | undefined;
  until?: Date | undefined;
  offsetSeconds?: number | undefined;
}): ReportRange {
  const until = input.until ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const since = input.since ?? new Date(until.getTime() - 7 * DAY_MS);
  const invalid = (message: string) =>
    new DomainError('VALIDATION_FAILED', `since ${message}`, [{ path: 'since', message }]);
  if (since.getTime() > until.getTime()) throw invalid('must not be after until');
  if (until.getTime() - since.getTime() > MAX_RANGE_MS)
    throw invalid('must be at most 10 years before until');
  return { since, until, offsetSeconds: input.offsetSeconds ?? 0 };
}

/** The start (unix ms) of the day/week/month/year holding `ms`, in the range's offset. Weeks start on Sunday (groupdate's default). */
export function periodStartOf(ms: number, groupBy: GroupBy, offsetSeconds: number): number {
  const local = new Date(ms + offsetSeconds * 1000);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth();
  const day = local.getUTCDate();
  let start: number;
  switch (groupBy) {
    case 'day':
      start = Date.UTC(year, month, day);
      break;
    case 'week':
      start = Date.UTC(year, month, day) - local.getUTCDay() * DAY_MS;
      break;
    case 'month':
      start = Date.UTC(year, month, 1);
      break;
    case 'year':
      start = Date.UTC(year, 0, 1);
      break;
  }
  return start - offsetSeconds * 1000;
}

function nextPeriod(startMs: number, groupBy: GroupBy, offsetSeconds: number): number {
  const local = new Date(startMs + offsetSeconds * 1000);
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  const next = {
    day: () => Date.UTC(year, month, day + 1),
    week: () => Date.UTC(year, month, day + 7),
    month: () => Date.UTC(year, month + 1, 1),
    year: () => Date.UTC(year + 1, 0, 1),
  }[groupBy]();
  return next - offsetSeconds * 1000;
}

/** Every period start from the one holding `since` to the one holding `until`: empty ones included. */
export function periodStarts(range: ReportRange, groupBy: GroupBy): number[] {
  const starts: number[] = [];
  const last = range.until.getTime();
  for (
    let start = periodStartOf(range.since.getTime(), groupBy, range.offsetSeconds);
    start <= last;
    start = nextPeriod(start, groupBy, range.offsetSeconds)
  ) {
    starts.push(start);
    if (starts.length > 10_000) break;
  }
  return starts;
}

/** The same period start in SQL, as unix seconds, for a timestamptz column. */
export function periodSql(column: SQL, groupBy: GroupBy, offsetSeconds: number): SQL {
  const local = sql`((${column}) AT TIME ZONE 'UTC') + make_interval(secs => ${offsetSeconds})`;
  const truncated =
    groupBy === 'week'
      ? sql`(date_trunc('day', ${local}) - make_interval(days => extract(dow from ${local})::int))`
      : sql`date_trunc(${groupBy}, ${local})`;
  return sql`(extract(epoch from ${truncated}) - ${offsetSeconds})::bigint`;
}

/** The period of the same length before `since`, as Chatwoot's summary computes `previous`. */
export function previousRange(range: ReportRange): ReportRange {
  const length = range.until.getTime() - range.since.getTime();
  return {
    since: new Date(range.since.getTime() - length),
    until: range.since,
    offsetSeconds: range.offsetSeconds,
  };
}
