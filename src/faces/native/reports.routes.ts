import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  breakdownDimensions,
  breakdownReport,
  groupByValues,
  reportRangeOf,
  reportSummary,
  reportTimeseries,
  type BreakdownRow,
  type ReportMetric,
  type ReportRange,
} from '../../core/reports/index.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors } from './schemas.js';

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const reportQuery = z.object({
  since: instant.optional().describe('Start of the period (ISO 8601); default: a week before `until`'),
  until: instant.optional().describe('End of the period, included (ISO 8601); default: now'),
  groupBy: z.enum(groupByValues).default('day'),
  by: z.enum(breakdownDimensions).default('agent'),
  timezoneOffset: z.coerce
    .number()
    .min(-12)
    .max(14)
    .default(0)
    .describe('Hours east of UTC in which days and weeks start'),
});
type ReportQuery = z.infer<typeof reportQuery>;

const seconds = z.number().nullable().describe('Seconds; null without data');
const point = z.object({ start: z.string(), value: z.number() });
const breakdownRow = z.object({
  id: z.number(),
  name: z.string(),
  conversations: z.number(),
  resolutions: z.number(),
  avgFirstResponseSeconds: seconds,
  avgResolutionSeconds: seconds,
});

const reportResponse = z.object({
  since: z.string(),
  until: z.string(),
  groupBy: z.enum(groupByValues),
  by: z.enum(breakdownDimensions),
  totals: z.object({
    conversations: z.number(),
    resolutions: z.number(),
    incomingMessages: z.number(),
    outgoingMessages: z.number(),
    avgFirstResponseSeconds: seconds,
    avgResolutionSeconds: seconds,
  }),
  series: z.object({
    conversations: z.array(point),
    resolutions: z.array(point),
    avgFirstResponseSeconds: z.array(point),
    avgResolutionSeconds: z.array(point),
  }),
  breakdown: z.array(breakdownRow),
});

const seriesMetrics = {
  conversations: 'conversations_count',
  resolutions: 'resolutions_count',
  avgFirstResponseSeconds: 'avg_first_response_time',
  avgResolutionSeconds: 'avg_resolution_time',
} as const satisfies Record<string, ReportMetric>;

function rangeOf(query: ReportQuery): ReportRange {
  return reportRangeOf({
    since: query.since,
    until: query.until,
    offsetSeconds: Math.round(query.timezoneOffset * 60) * 60,
  });
}

/** A CSV cell: quoted when it holds a separator, a quote or a line break; formulas defused. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  // A spreadsheet would run a cell starting with = + - @ as a formula (CSV injection).
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function breakdownCsv(by: string, rows: BreakdownRow[]): string {
  const header = [by, 'conversations', 'resolutions', 'avg_first_response_seconds', 'avg_resolution_seconds'];
  const lines = rows.map((row) =>
    [row.name, row.conversations, row.resolutions, row.avgFirstResponseSeconds, row.avgResolutionSeconds]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/**
 * The web app's reports: conversations, resolutions, first response and resolution times over a
 * period, as totals, a series per day/week/month and a breakdown by agent, inbox, team or label,
 * read from the reporting counters kept as things happen (the same figures as the Chatwoot face's
 * reports). Administrators only, as in Chatwoot.
 */
export function registerNativeReportRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'Conversation figures over a period: totals, a series and a breakdown',
        params: accountParams,
        querystring: reportQuery,
        response: { 200: reportResponse, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const { query } = request;
      const range = rangeOf(query);
      const scope = { accountId: access.accountId, type: 'account' as const, key: '' };
      const entries = Object.entries(seriesMetrics) as [keyof typeof seriesMetrics, ReportMetric][];
      const [summary, breakdown, ...series] = await Promise.all([
        reportSummary(ctx.db, scope, range),
        breakdownReport(ctx.db, access.accountId, query.by, range),
        ...entries.map(([, metric]) =>
          reportTimeseries(ctx.db, { scope, metric, range, groupBy: query.groupBy }),
        ),
      ]);
      const totals = summary.current;
      return {
        since: range.since.toISOString(),
        until: range.until.toISOString(),
        groupBy: query.groupBy,
        by: query.by,
        totals: {
          conversations: totals.conversationsCount,
          resolutions: totals.resolutionsCount,
          incomingMessages: totals.incomingMessagesCount,
          outgoingMessages: totals.outgoingMessagesCount,
          avgFirstResponseSeconds: totals.avgFirstResponseTime,
          avgResolutionSeconds: totals.avgResolutionTime,
        },
        series: Object.fromEntries(
          entries.map(([name], index) => [
            name,
            (series[index] ?? []).map((entry) => ({
              start: new Date(entry.timestamp * 1000).toISOString(),
              value: entry.value,
            })),
          ]),
        ) as z.infer<typeof reportResponse>['series'],
        breakdown,
      };
    },
  );

  app.get(
    '/v1/accounts/:accountId/reports/breakdown.csv',
    {
      schema: {
        tags: ['reports'],
        summary: 'The breakdown by agent, inbox, team or label as CSV',
        params: accountParams,
        querystring: reportQuery,
        response: { 200: z.string(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const { query } = request;
      const range = rangeOf(query);
      const rows = await breakdownReport(ctx.db, access.accountId, query.by, range);
      const day = (date: Date) => date.toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="parley-report-${query.by}-${day(range.since)}-${day(range.until)}.csv"`,
        )
        .send(breakdownCsv(query.by, rows));
    },
  );
}
