import type { Db } from '../../platform/db/database.js';
import {
  conversationSeries,
  conversationTotal,
  counterSeries,
  counterTotals,
  emptyTally,
  type Tally,
} from './report-figures.js';
import { periodStarts, previousRange, type GroupBy, type ReportRange } from './report-range.js';
import type { ReportScope } from './report-scope.js';

/** Chatwoot's report metrics: `reply_time` is Chatwoot's too, though the seed's enum leaves it out. */
export const reportMetrics = [
  'conversations_count',
  'incoming_messages_count',
  'outgoing_messages_count',
  'avg_first_response_time',
  'avg_resolution_time',
  'resolutions_count',
  'reply_time',
] as const;
export type ReportMetric = (typeof reportMetrics)[number];

/** Where a metric comes from: conversations (current owner) or a counter, counted or averaged. */
const sources: Record<ReportMetric, { counter: string | null; isAverage: boolean }> = {
  conversations_count: { counter: null, isAverage: false },
  incoming_messages_count: { counter: 'incoming_messages', isAverage: false },
  outgoing_messages_count: { counter: 'outgoing_messages', isAverage: false },
  avg_first_response_time: { counter: 'first_response', isAverage: true },
  avg_resolution_time: { counter: 'resolution', isAverage: true },
  resolutions_count: { counter: 'resolution', isAverage: false },
  reply_time: { counter: 'reply_time', isAverage: true },
};

export interface ReportPoint {
  /** The period's start, unix seconds. */
  timestamp: number;
  /** A count, or an average in seconds (0 for a period without data, as Chatwoot fills it). */
  value: number;
  /** For averages: how many values the average is of. */
  count?: number;
}

const averageOf = (tally: Tally) => (tally.count > 0 ? tally.sum / tally.count : null);

/** One metric per day/week/month/year of the range, every period present (empty ones as 0). */
export async function reportTimeseries(
  db: Db,
  input: { scope: ReportScope; metric: ReportMetric; range: ReportRange; groupBy: GroupBy },
): Promise<ReportPoint[]> {
  const source = sources[input.metric];
  const series =
    source.counter === null
      ? await conversationSeries(db, input.scope, input.range, input.groupBy)
      : await counterSeries(db, input.scope, source.counter, input.range, input.groupBy);
  return periodStarts(input.range, input.groupBy).map((startMs) => {
    const timestamp = Math.floor(startMs / 1000);
    const tally = series.get(timestamp) ?? emptyTally();
    return source.isAverage
      ? { timestamp, value: averageOf(tally) ?? 0, count: tally.count }
      : { timestamp, value: tally.count };
  });
}

export interface ReportTotals {
  conversationsCount: number;
  incomingMessagesCount: number;
  outgoingMessagesCount: number;
  resolutionsCount: number;
  /** Averages in seconds; null when there is nothing to average. */
  avgFirstResponseTime: number | null;
  avgResolutionTime: number | null;
  replyTime: number | null;
}

async function totals(db: Db, scope: ReportScope, range: ReportRange): Promise<ReportTotals> {
  const [conversationsCount, tallies] = await Promise.all([
    conversationTotal(db, scope, range),
    counterTotals(
      db,
      scope,
      ['incoming_messages', 'outgoing_messages', 'first_response', 'resolution', 'reply_time'],
      range,
    ),
  ]);
  const tally = (metric: string) => tallies.get(metric) ?? emptyTally();
  return {
    conversationsCount,
    incomingMessagesCount: tally('incoming_messages').count,
    outgoingMessagesCount: tally('outgoing_messages').count,
    resolutionsCount: tally('resolution').count,
    avgFirstResponseTime: averageOf(tally('first_response')),
    avgResolutionTime: averageOf(tally('resolution')),
    replyTime: averageOf(tally('reply_time')),
  };
}

/** Every metric over the range, and over the period of the same length before it. */
export async function reportSummary(
  db: Db,
  scope: ReportScope,
  range: ReportRange,
): Promise<{ current: ReportTotals; previous: ReportTotals }> {
  const [current, previous] = await Promise.all([
    totals(db, scope, range),
    totals(db, scope, previousRange(range)),
  ]);
  return { current, previous };
}
