import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { activityLog } from './activity-log.tables.js';
import { resolveActivity, type ActivityEntry } from './resolve-activity.js';

/**
 * A position in an organization's log: the time and id of an entry. Times are stored from the
 * event's JavaScript date (millisecond precision), so the ISO string round-trips exactly.
 */
export interface ActivityCursor {
  occurredAt: string;
  id: number;
}

/** Every activity of one conversation, oldest first (a conversation's log is read whole). */
export async function listConversationActivity(
  db: Db,
  accountId: number,
  conversationId: number,
): Promise<ActivityEntry[]> {
  const rows = await db
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.accountId, accountId), eq(activityLog.conversationId, conversationId)))
    .orderBy(asc(activityLog.occurredAt), asc(activityLog.id));
  return resolveActivity(db, accountId, rows);
}

export interface ListAccountActivityInput {
  accountId: number;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  /** Entries after (`next`) or before (`previous`) this position; none: from the start. */
  cursor?: { position: ActivityCursor; direction: 'next' | 'previous' } | undefined;
}

export interface ActivityPage {
  items: ActivityEntry[];
  next: ActivityCursor | null;
  previous: ActivityCursor | null;
}

const positionOf = (row: { occurredAt: Date; id: number }): ActivityCursor => ({
  occurredAt: row.occurredAt.toISOString(),
  id: row.id,
});

/**
 * An organization's log oldest first, a keyset page at a time on (occurred_at, id): each page is
 * one range scan of activity_log_account_time_idx however deep it is.
 */
export async function listAccountActivity(db: Db, input: ListAccountActivityInput): Promise<ActivityPage> {
  const isBackward = input.cursor?.direction === 'previous';
  const conditions: SQL[] = [eq(activityLog.accountId, input.accountId)];
  if (input.from) conditions.push(gte(activityLog.occurredAt, input.from));
  if (input.to) conditions.push(lte(activityLog.occurredAt, input.to));
  if (input.cursor) {
    const { occurredAt, id } = input.cursor.position;
    const position = sql`(${occurredAt}::timestamptz, ${id}::bigint)`;
    conditions.push(
      isBackward
        ? sql`(${activityLog.occurredAt}, ${activityLog.id}) < ${position}`
        : sql`(${activityLog.occurredAt}, ${activityLog.id}) > ${position}`,
    );
  }
  const order = isBackward
    ? [desc(activityLog.occurredAt), desc(activityLog.id)]
    : [asc(activityLog.occurredAt), asc(activityLog.id)];
  const fetched = await db
    .select()
    .from(activityLog)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(input.limit + 1);
  const hasMore = fetched.length > input.limit;
  const rows = fetched.slice(0, input.limit);
  if (isBackward) rows.reverse();
  const first = rows.at(0);
  const last = rows.at(-1);
  // Going forward, a cursor means something lies behind; going back, the cursor's row lies ahead.
  const next = last && (isBackward || hasMore) ? positionOf(last) : null;
  const previous = first && (isBackward ? hasMore : input.cursor !== undefined) ? positionOf(first) : null;
  return { items: await resolveActivity(db, input.accountId, rows), next, previous };
}
