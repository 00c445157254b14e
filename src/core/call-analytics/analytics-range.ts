import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** An inclusive time range analytics count over. */
export interface AnalyticsRange {
  from: Date;
  to: Date;
}

/** The length of one history bucket. */
export const historySteps = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type HistoryStep = (typeof historySteps)[number];

const truncUnits: Record<HistoryStep, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };

/**
 * The start of the bucket `column` falls in, as "YYYY-MM-DD HH:MM:SS" UTC (weeks start on Monday).
 * The unit is spliced in from a fixed table, not a bind parameter: the same expression then
 * appears in SELECT and GROUP BY, which PostgreSQL requires.
 */
export function bucketStart(column: AnyPgColumn, step: HistoryStep): SQL<string> {
  return sql<string>`to_char(date_trunc('${sql.raw(truncUnits[step])}', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')`;
}
