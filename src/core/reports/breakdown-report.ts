import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { counterTotalsByKey, emptyTally, inRange, type Tally } from './report-figures.js';
import type { ReportRange } from './report-range.js';

export const breakdownDimensions = ['agent', 'inbox', 'team', 'label'] as const;
export type BreakdownDimension = (typeof breakdownDimensions)[number];

/** One agent, inbox, team or label of the account over a range; averages in seconds, null without data. */
export interface BreakdownRow {
  id: number;
  name: string;
  conversations: number;
  resolutions: number;
  avgFirstResponseSeconds: number | null;
  avgResolutionSeconds: number | null;
}

/** Every entity of the dimension (zeros included), with the key the counters use for it. */
const entities: Record<BreakdownDimension, (accountId: number) => SQL> = {
  agent: (accountId) =>
    sql`SELECT u.id, coalesce(u.display_name, u.name) AS name, u.id::text AS key
        FROM account_users au JOIN users u ON u.id = au.user_id WHERE au.account_id = ${accountId}`,
  inbox: (accountId) => sql`SELECT id, name, id::text AS key FROM inboxes WHERE account_id = ${accountId}`,
  team: (accountId) => sql`SELECT id, name, id::text AS key FROM teams WHERE account_id = ${accountId}`,
  // Counters and conversations know a label by its name.
  label: (accountId) => sql`SELECT id, name, name AS key FROM labels WHERE account_id = ${accountId}`,
};

/** Conversations created in the range, by whom they belong to now (as Chatwoot counts them). */
const conversationKeys: Record<BreakdownDimension, SQL> = {
  agent: sql`c.assignee_id::text`,
  inbox: sql`c.inbox_id::text`,
  team: sql`c.team_id::text`,
  label: sql`label`,
};

async function conversationCounts(
  db: Db,
  accountId: number,
  by: BreakdownDimension,
  range: ReportRange,
): Promise<Map<string, number>> {
  const labelsOf = by === 'label' ? sql`CROSS JOIN LATERAL unnest(c.labels) AS label` : sql``;
  const rows = await queryRows<{ key: string | null; count: string | number }>(
    db,
    sql`SELECT ${conversationKeys[by]} AS key, count(*) AS count FROM conversations c ${labelsOf}
        WHERE c.account_id = ${accountId} AND ${inRange(sql`c.created_at`, range)}
        GROUP BY 1`,
  );
  return new Map(rows.flatMap((row) => (row.key === null ? [] : [[row.key, Number(row.count)]])));
}

const averageOf = (tally: Tally) => (tally.count > 0 ? tally.sum / tally.count : null);

/**
 * Conversations, resolutions, first response and resolution times per agent, inbox, team or
 * label over a range, sorted by name: three queries whatever the number of rows.
 */
export async function breakdownReport(
  db: Db,
  accountId: number,
  by: BreakdownDimension,
  range: ReportRange,
): Promise<BreakdownRow[]> {
  const [rows, conversations, tallies] = await Promise.all([
    queryRows<{ id: string | number; name: string; key: string }>(db, entities[by](accountId)),
    conversationCounts(db, accountId, by, range),
    counterTotalsByKey(db, accountId, by, ['first_response', 'resolution'], range),
  ]);
  return rows
    .map((row) => {
      const tally = (metric: string) => tallies.get(row.key)?.get(metric) ?? emptyTally();
      return {
        id: Number(row.id),
        name: row.name,
        conversations: conversations.get(row.key) ?? 0,
        resolutions: tally('resolution').count,
        avgFirstResponseSeconds: averageOf(tally('first_response')),
        avgResolutionSeconds: averageOf(tally('resolution')),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}
