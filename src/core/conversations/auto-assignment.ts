import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import { inboxMembers, inboxes } from '../inboxes/inboxes.tables.js';
import { conversations } from './conversations.tables.js';
import { isInboxQueueFed } from '../routing/queue-usage.js';

/**
 * Picks the next agent for a new conversation in an inbox: round robin among the inbox's members
 * who are online in the account, skipping those already at the inbox's open-conversation limit,
 * choosing the one assigned longest ago (never-assigned first). The inbox's member rows are locked
 * for the rest of the transaction, so concurrent creations take turns instead of picking the same
 * agent. Returns the chosen user id, or null when nobody is available — and always null when the
 * inbox feeds a routing queue: the queue offers its conversations, so round robin must not take them.
 */
export async function pickAutoAssignee(
  tx: Db,
  options: { accountId: number; inboxId: number; amongUserIds?: number[] },
): Promise<number | null> {
  const { accountId, inboxId } = options;
  if (options.amongUserIds?.length === 0) return null;
  const [inbox] = await tx
    .select({ config: inboxes.autoAssignmentConfig })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.id, inboxId)));
  if (!inbox) return null;
  if (await isInboxQueueFed(tx, accountId, inboxId)) return null;

  const members = await tx
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .where(and(eq(inboxMembers.accountId, accountId), eq(inboxMembers.inboxId, inboxId)))
    .orderBy(asc(inboxMembers.userId))
    .for('update');
  if (members.length === 0) return null;

  const candidates = await tx
    .select({ userId: inboxMembers.userId })
    .from(inboxMembers)
    .innerJoin(
      accountUsers,
      and(eq(accountUsers.accountId, inboxMembers.accountId), eq(accountUsers.userId, inboxMembers.userId)),
    )
    .where(
      and(
        eq(inboxMembers.accountId, accountId),
        eq(inboxMembers.inboxId, inboxId),
        eq(accountUsers.availability, 'online'),
        options.amongUserIds ? inArray(inboxMembers.userId, options.amongUserIds) : undefined,
      ),
    )
    .orderBy(sql`${inboxMembers.lastAssignedAt} ASC NULLS FIRST`, asc(inboxMembers.userId));
  const available = await withinCapacity(
    tx,
    accountId,
    inboxId,
    candidates.map((candidate) => candidate.userId),
    inbox.config.maxAssignmentLimit ?? null,
  );
  const chosen = available[0];
  if (chosen === undefined) return null;

  await tx
    .update(inboxMembers)
    .set({
      // clock_timestamp, not now(): two picks in one transaction must still order.
      lastAssignedAt: sql`clock_timestamp()`,
      assignmentCount: sql`${inboxMembers.assignmentCount} + 1`,
    })
    .where(
      and(
        eq(inboxMembers.accountId, accountId),
        eq(inboxMembers.inboxId, inboxId),
        eq(inboxMembers.userId, chosen),
      ),
    );
  return chosen;
}

/** The candidates (order kept) whose open conversations in the inbox are under `limit`. */
async function withinCapacity(
  tx: Db,
  accountId: number,
  inboxId: number,
  userIds: number[],
  limit: number | null,
): Promise<number[]> {
  if (limit === null || limit <= 0 || userIds.length === 0) return userIds;
  const counts = await tx
    .select({ userId: conversations.assigneeId, count: sql`count(*)::int`.mapWith(Number) })
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, accountId),
        eq(conversations.inboxId, inboxId),
        eq(conversations.status, 'open'),
        inArray(conversations.assigneeId, userIds),
      ),
    )
    .groupBy(conversations.assigneeId);
  const openCount = new Map(counts.map((row) => [row.userId, row.count]));
  return userIds.filter((userId) => (openCount.get(userId) ?? 0) < limit);
}
