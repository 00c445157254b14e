import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';

/** Chatwoot's names for the reporting events it lists, and the types the core stores them as. */
const typeOfName = {
  first_response: 'first_response',
  conversation_resolved: 'closed',
  reply_time: 'reply',
} as const;
export type ReportingEventName = keyof typeof typeOfName;
export const reportingEventNames = [
  'first_response',
  'conversation_resolved',
  'reply_time',
] as const satisfies readonly ReportingEventName[];
const nameOfType = Object.fromEntries(
  Object.entries(typeOfName).map(([name, type]) => [type, name]),
) as Record<string, ReportingEventName>;
const listedTypes = sql.join(
  Object.values(typeOfName).map((type) => sql`${type}`),
  sql`, `,
);

export interface ListedReportingEvent {
  id: number;
  name: ReportingEventName;
  /** Seconds. */
  value: number;
  startedAt: Date;
  endedAt: Date;
  accountId: number;
  conversationDisplayId: number;
  inboxId: number | null;
  userId: number | null;
  createdAt: Date;
}

type Row = Record<string, string | number | Date | null>;

function listed(row: Row): ListedReportingEvent {
  const endedAt = new Date(row.occurred_at as string | Date);
  const value = Number(row.duration_ms ?? 0) / 1000;
  return {
    id: Number(row.id),
    name: nameOfType[String(row.type)] ?? 'first_response',
    value,
    startedAt: new Date(endedAt.getTime() - value * 1000),
    endedAt,
    accountId: Number(row.account_id),
    conversationDisplayId: Number(row.conversation_display_id),
    inboxId: row.inbox_id === null ? null : Number(row.inbox_id),
    userId: row.agent_id === null ? null : Number(row.agent_id),
    createdAt: new Date(row.created_at as string | Date),
  };
}

const columns = sql`id, type, duration_ms, occurred_at, account_id, conversation_display_id, inbox_id, agent_id, created_at`;

export interface ReportingEventFilter {
  accountId: number;
  since?: Date | undefined;
  until?: Date | undefined;
  inboxId?: number | undefined;
  userId?: number | undefined;
  name?: ReportingEventName | undefined;
}

function conditions(filter: ReportingEventFilter): SQL {
  const parts = [
    sql`account_id = ${filter.accountId}`,
    filter.name ? sql`type = ${typeOfName[filter.name]}` : sql`type IN (${listedTypes})`,
  ];
  if (filter.since) parts.push(sql`occurred_at >= ${filter.since.toISOString()}`);
  if (filter.until) parts.push(sql`occurred_at <= ${filter.until.toISOString()}`);
  if (filter.inboxId !== undefined) parts.push(sql`inbox_id = ${filter.inboxId}`);
  if (filter.userId !== undefined) parts.push(sql`agent_id = ${filter.userId}`);
  return sql.join(parts, sql` AND `);
}

/** A page of the account's reporting events, newest first, and how many there are in all. */
export async function listReportingEvents(
  db: Db,
  filter: ReportingEventFilter,
  page: { number: number; size: number },
): Promise<{ items: ListedReportingEvent[]; count: number }> {
  const where = conditions(filter);
  const [rows, totals] = await Promise.all([
    queryRows<Row>(
      db,
      sql`SELECT ${columns} FROM reporting_events WHERE ${where}
          ORDER BY occurred_at DESC, id DESC LIMIT ${page.size} OFFSET ${(page.number - 1) * page.size}`,
    ),
    queryRows<{ count: string | number }>(
      db,
      sql`SELECT count(*) AS count FROM reporting_events WHERE ${where}`,
    ),
  ]);
  return { items: rows.map(listed), count: Number(totals[0]?.count ?? 0) };
}

/** A conversation's reporting events, oldest first. */
export async function listConversationReportingEvents(
  db: Db,
  accountId: number,
  conversationId: number,
): Promise<ListedReportingEvent[]> {
  const rows = await queryRows<Row>(
    db,
    sql`SELECT ${columns} FROM reporting_events
        WHERE account_id = ${accountId} AND conversation_id = ${conversationId} AND type IN (${listedTypes})
        ORDER BY occurred_at, id`,
  );
  return rows.map(listed);
}
