import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';

/**
 * Open conversations now, as Chatwoot's conversation metrics count them: unattended are open ones
 * with no first reply yet or a contact waiting for a reply; unassigned are open ones with no agent.
 */
export async function accountConversationMetrics(
  db: Db,
  accountId: number,
): Promise<{ open: number; unattended: number; unassigned: number }> {
  const [row] = await queryRows<Record<string, string | number>>(
    db,
    sql`SELECT count(*) AS open,
          count(*) FILTER (WHERE first_reply_created_at IS NULL OR waiting_since IS NOT NULL) AS unattended,
          count(*) FILTER (WHERE assignee_id IS NULL) AS unassigned
        FROM conversations WHERE account_id = ${accountId} AND status = 'open'`,
  );
  return {
    open: Number(row?.open ?? 0),
    unattended: Number(row?.unattended ?? 0),
    unassigned: Number(row?.unassigned ?? 0),
  };
}

export interface AgentConversationMetrics {
  id: number;
  name: string;
  email: string;
  avatarUrl: string | null;
  availability: string;
  open: number;
  unattended: number;
}

/** Every agent of the account (or one, by `userId`) with their open and unattended conversations. */
export async function agentConversationMetrics(
  db: Db,
  accountId: number,
  userId?: number,
): Promise<AgentConversationMetrics[]> {
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`SELECT u.id, coalesce(u.display_name, u.name) AS name, u.email, u.avatar_url, au.availability,
          coalesce(m.open, 0) AS open, coalesce(m.unattended, 0) AS unattended
        FROM account_users au JOIN users u ON u.id = au.user_id
        LEFT JOIN (
          SELECT assignee_id, count(*) AS open,
            count(*) FILTER (WHERE first_reply_created_at IS NULL OR waiting_since IS NOT NULL) AS unattended
          FROM conversations WHERE account_id = ${accountId} AND status = 'open' AND assignee_id IS NOT NULL
          GROUP BY assignee_id
        ) m ON m.assignee_id = au.user_id
        WHERE au.account_id = ${accountId} ${userId === undefined ? sql`` : sql`AND au.user_id = ${userId}`}
        ORDER BY u.id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    name: String(row.name),
    email: String(row.email),
    avatarUrl: row.avatar_url === null ? null : String(row.avatar_url),
    availability: String(row.availability),
    open: Number(row.open),
    unattended: Number(row.unattended),
  }));
}
