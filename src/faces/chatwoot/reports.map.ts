import { DomainError } from '../../platform/errors.js';
import {
  reportRangeOf,
  type ReportPoint,
  type ReportRange,
  type ReportTotals,
} from '../../core/reports/index.js';

/** The range a report reads: `until` defaults to now and `since` to a week before it. */
export function rangeOf(query: {
  since?: Date | undefined;
  until?: Date | undefined;
  timezone_offset?: number | undefined;
}): ReportRange {
  return reportRangeOf({ since: query.since, until: query.until, offsetSeconds: query.timezone_offset });
}

/** Chatwoot's channel summary refuses more than six months. */
export function assertSixMonthsAtMost(range: ReportRange): void {
  const limit = new Date(range.since.getTime());
  limit.setUTCMonth(limit.getUTCMonth() + 6);
  if (range.until.getTime() > limit.getTime()) {
    throw new DomainError('BAD_REQUEST', 'Date range cannot exceed 6 months', [
      { path: 'until', message: 'must be at most 6 months after since' },
    ]);
  }
}

/** Averages travel as Chatwoot's decimal strings; two decimals are plenty for seconds. */
const rounded = (value: number) => Math.round(value * 100) / 100;
export const decimalString = (value: number) => String(rounded(value));
export const roundedOrNull = (value: number | null) => (value === null ? null : rounded(value));

export function toTimeseries(points: ReportPoint[]) {
  return points.map((point) => ({
    value: decimalString(point.value),
    timestamp: point.timestamp,
    ...(point.count !== undefined && { count: point.count }),
  }));
}

/** Seed `account_summary`: averages without data are left out (the seed types them string, not null). */
export function toTotals(totals: ReportTotals) {
  return {
    ...(totals.avgFirstResponseTime !== null && {
      avg_first_response_time: decimalString(totals.avgFirstResponseTime),
    }),
    ...(totals.avgResolutionTime !== null && {
      avg_resolution_time: decimalString(totals.avgResolutionTime),
    }),
    conversations_count: totals.conversationsCount,
    incoming_messages_count: totals.incomingMessagesCount,
    outgoing_messages_count: totals.outgoingMessagesCount,
    resolutions_count: totals.resolutionsCount,
    ...(totals.replyTime !== null && { reply_time: decimalString(totals.replyTime) }),
  };
}
