import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { countersIn } from './report-figures.js';
import type { ReportRange } from './report-range.js';

export const outgoingGroups = ['agent', 'team', 'inbox', 'label'] as const;
export type OutgoingGroup = (typeof outgoingGroups)[number];

/** How a counter key names an entity of the account. */
const entities: Record<OutgoingGroup, (accountId: number) => ReturnType<typeof sql>> = {
  agent: (accountId) =>
    sql`SELECT u.id, coalesce(u.display_name, u.name) AS name, u.id::text AS key FROM users u
        JOIN account_users au ON au.user_id = u.id AND au.account_id = ${accountId}`,
  team: (accountId) => sql`SELECT id, name, id::text AS key FROM teams WHERE account_id = ${accountId}`,
  inbox: (accountId) => sql`SELECT id, name, id::text AS key FROM inboxes WHERE account_id = ${accountId}`,
  label: (accountId) => sql`SELECT id, name, name AS key FROM labels WHERE account_id = ${accountId}`,
};

export interface OutgoingCount {
  id: number;
  name: string;
  count: number;
}

/**
 * Outgoing messages in the range per agent (agents' own messages: bots are nobody's), team,
 * inbox or label, for the entities that sent any; one read of the counters joined to the names.
 */
export async function outgoingMessagesCount(
  db: Db,
  accountId: number,
  groupBy: OutgoingGroup,
  range: ReportRange,
): Promise<OutgoingCount[]> {
  const rows = await queryRows<{ id: string | number; name: string; count: string | number }>(
    db,
    sql`WITH totals AS (
          SELECT dimension_key AS key, sum(count) AS count
          FROM ${countersIn(range, sql`account_id = ${accountId} AND metric = 'outgoing_messages' AND dimension = ${groupBy}`)} r
          GROUP BY 1)
        SELECT e.id, e.name, t.count FROM totals t JOIN (${entities[groupBy](accountId)}) e ON e.key = t.key
        WHERE t.count > 0 ORDER BY e.id`,
  );
  return rows.map((row) => ({ id: Number(row.id), name: row.name, count: Number(row.count) }));
}
