import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { firstResponseBins } from '../analytics/index.js';
import { countersIn, inRange } from './report-figures.js';
import type { ReportRange } from './report-range.js';

export interface ChannelStatusCounts {
  channelType: string;
  open: number;
  resolved: number;
  pending: number;
  snoozed: number;
  total: number;
}

/** Conversations created in the range by their inbox's channel and their status now. */
export async function channelSummary(
  db: Db,
  accountId: number,
  range: ReportRange,
): Promise<ChannelStatusCounts[]> {
  const rows = await queryRows<Record<string, string | number>>(
    db,
    sql`SELECT i.channel_type,
          count(*) FILTER (WHERE c.status = 'open') AS open,
          count(*) FILTER (WHERE c.status = 'resolved') AS resolved,
          count(*) FILTER (WHERE c.status = 'pending') AS pending,
          count(*) FILTER (WHERE c.status = 'snoozed') AS snoozed,
          count(*) AS total
        FROM conversations c JOIN inboxes i ON i.account_id = c.account_id AND i.id = c.inbox_id
        WHERE c.account_id = ${accountId} AND ${inRange(sql`c.created_at`, range)}
        GROUP BY i.channel_type ORDER BY i.channel_type`,
  );
  return rows.map((row) => ({
    channelType: String(row.channel_type),
    open: Number(row.open),
    resolved: Number(row.resolved),
    pending: Number(row.pending),
    snoozed: Number(row.snoozed),
    total: Number(row.total),
  }));
}

export type FirstResponseBin = (typeof firstResponseBins)[number]['name'];

// Named one by one (not LIKE): the primary key then reads just these metrics' rows.
const binMetrics = sql.join(
  firstResponseBins.map((bin) => sql`${`first_response_bin:${bin.name}`}`),
  sql`, `,
);

/** First responses in the range per channel and time bin (the counters keep the bins per inbox). */
export async function firstResponseDistribution(
  db: Db,
  accountId: number,
  range: ReportRange,
): Promise<Map<string, Record<FirstResponseBin, number>>> {
  const rows = await queryRows<{ channel_type: string; metric: string; count: string | number }>(
    db,
    sql`SELECT i.channel_type, r.metric, sum(r.count) AS count
        FROM ${countersIn(range, sql`account_id = ${accountId} AND dimension = 'inbox' AND metric IN (${binMetrics})`)} r
        JOIN inboxes i ON i.account_id = ${accountId} AND i.id::text = r.dimension_key
        GROUP BY 1, 2`,
  );
  const result = new Map<string, Record<FirstResponseBin, number>>();
  for (const row of rows) {
    const bins =
      result.get(row.channel_type) ??
      (Object.fromEntries(firstResponseBins.map((bin) => [bin.name, 0])) as Record<FirstResponseBin, number>);
    const name = row.metric.slice('first_response_bin:'.length) as FirstResponseBin;
    bins[name] = Number(row.count);
    result.set(row.channel_type, bins);
  }
  return result;
}
