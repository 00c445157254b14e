import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { conversationCountsBy, counterTotalsByKey, emptyTally, type Tally } from './report-figures.js';
import type { ReportRange } from './report-range.js';

export type SummaryDimension = 'inbox' | 'agent' | 'team';

export interface EntitySummary {
  id: number;
  conversationsCount: number;
  resolvedConversationsCount: number;
  /** Seconds; null when there is nothing to average (the seed allows null here). */
  avgResolutionTime: number | null;
  avgFirstResponseTime: number | null;
  avgReplyTime: number | null;
}

const entityIds = {
  inbox: (accountId: number) => sql`SELECT id FROM inboxes WHERE account_id = ${accountId} ORDER BY id`,
  agent: (accountId: number) =>
    sql`SELECT user_id AS id FROM account_users WHERE account_id = ${accountId} ORDER BY user_id`,
  team: (accountId: number) => sql`SELECT id FROM teams WHERE account_id = ${accountId} ORDER BY id`,
};

const averageOf = (tally: Tally) => (tally.count > 0 ? tally.sum / tally.count : null);

/**
 * Chatwoot's summary reports: every inbox, agent or team of the account (zeros included) with
 * the conversations created in the range that are theirs now, and their resolutions, first
 * response, resolution and reply times in the range. Three queries whatever the number of rows.
 */
export async function summaryReportBy(
  db: Db,
  accountId: number,
  by: SummaryDimension,
  range: ReportRange,
): Promise<EntitySummary[]> {
  const [ids, conversations, tallies] = await Promise.all([
    queryRows<{ id: string | number }>(db, entityIds[by](accountId)),
    conversationCountsBy(db, accountId, by, range),
    counterTotalsByKey(db, accountId, by, ['first_response', 'resolution', 'reply_time'], range),
  ]);
  return ids.map(({ id }) => {
    const key = String(id);
    const tally = (metric: string) => tallies.get(key)?.get(metric) ?? emptyTally();
    return {
      id: Number(id),
      conversationsCount: conversations.get(key) ?? 0,
      resolvedConversationsCount: tally('resolution').count,
      avgResolutionTime: averageOf(tally('resolution')),
      avgFirstResponseTime: averageOf(tally('first_response')),
      avgReplyTime: averageOf(tally('reply_time')),
    };
  });
}
