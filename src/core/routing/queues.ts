import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import {
  routingQueueMembers,
  routingQueues,
  routingQueueUsages,
  type MemberListType,
  type OfferingAlgorithm,
  type QueueMemberRow,
  type QueueRow,
} from './routing.tables.js';
import type { QueueRef } from './routing.events.js';
import { scheduleRetry } from './routing.jobs.js';

export interface QueueSettings {
  name: string;
  priority?: number | undefined;
  isDefault: boolean;
  memberListType?: MemberListType | undefined;
  offeringAlgorithm?: OfferingAlgorithm | undefined;
  offerTimeout?: number | undefined;
  wrapupTimeout?: number | undefined;
  doNotOfferTimeouts?: Record<string, number> | undefined;
  isDoNotOfferEnabled: boolean;
  queueThresholds?: Record<string, number> | undefined;
  preferredAgentTimeouts?: Record<string, number> | undefined;
  isPreferredAgentEnabled?: boolean | undefined;
  offerAbandonedConversations?: boolean | undefined;
  personalAgentOfflineTimeout?: number | undefined;
  preferredAgentOfflineTimeout?: number | undefined;
  callFunctionality: boolean;
}

export const queueRefOf = (queue: QueueRow): QueueRef => ({
  id: queue.id,
  uuid: queue.uuid,
  name: queue.name,
});

/** Creates a queue; a new default queue takes the default flag from the previous one. */
export async function createQueue(db: Db, input: QueueSettings & { accountId: number }): Promise<QueueRow> {
  return db.transaction(async (tx) => {
    if (input.isDefault) {
      await tx
        .update(routingQueues)
        .set({ isDefault: false, updatedAt: sql`now()` })
        .where(and(eq(routingQueues.accountId, input.accountId), eq(routingQueues.isDefault, true)));
    }
    const [row] = await tx
      .insert(routingQueues)
      .values({
        accountId: input.accountId,
        name: input.name,
        priority: input.priority ?? null,
        isDefault: input.isDefault,
        memberListType: input.memberListType ?? 'Default',
        offeringAlgorithm: input.offeringAlgorithm ?? 'AllAtOnce',
        ...(input.offerTimeout !== undefined && { offerTimeout: input.offerTimeout }),
        wrapupTimeout: input.wrapupTimeout ?? null,
        doNotOfferTimeouts: input.doNotOfferTimeouts ?? {},
        isDoNotOfferEnabled: input.isDoNotOfferEnabled,
        queueThresholds: input.queueThresholds ?? {},
        preferredAgentTimeouts: input.preferredAgentTimeouts ?? null,
        isPreferredAgentEnabled: input.isPreferredAgentEnabled ?? null,
        offerAbandonedConversations: input.offerAbandonedConversations ?? false,
        personalAgentOfflineTimeout: input.personalAgentOfflineTimeout ?? null,
        preferredAgentOfflineTimeout: input.preferredAgentOfflineTimeout ?? null,
        callFunctionality: input.callFunctionality,
      })
      .returning();
    if (!row) throw new Error('queue insert returned no row');
    return row;
  });
}

export async function findQueue(db: Db, accountId: number, uuid: string): Promise<QueueRow | null> {
  const [row] = await db
    .select()
    .from(routingQueues)
    .where(and(eq(routingQueues.accountId, accountId), eq(routingQueues.uuid, uuid)));
  return row ?? null;
}

/** By the queue's public id (its uuid), within the account; another account's queue is not found. */
export async function getQueue(db: Db, accountId: number, uuid: string): Promise<QueueRow> {
  const row = await findQueue(db, accountId, uuid);
  if (!row) throw notFound('Queue');
  return row;
}

export async function getQueueById(db: Db, accountId: number, id: number): Promise<QueueRow> {
  const [row] = await db
    .select()
    .from(routingQueues)
    .where(and(eq(routingQueues.accountId, accountId), eq(routingQueues.id, id)));
  if (!row) throw notFound('Queue');
  return row;
}

/** An account has a handful of queues (Dixa lists them unpaginated); capped as a safeguard. */
export async function listQueues(db: Db, accountId: number, options: { afterId?: number } = {}) {
  return db
    .select()
    .from(routingQueues)
    .where(
      and(
        eq(routingQueues.accountId, accountId),
        options.afterId === undefined ? undefined : gt(routingQueues.id, options.afterId),
      ),
    )
    .orderBy(asc(routingQueues.id))
    .limit(1000);
}

/** Adds (or re-prioritises) members; new members may take waiting conversations at once. */
export async function addQueueMembers(
  db: Db,
  input: { accountId: number; queueId: number; members: { userId: number; priority?: number }[] },
): Promise<void> {
  if (input.members.length === 0) return;
  await db.transaction(async (tx) => {
    await tx
      .insert(routingQueueMembers)
      .values(
        input.members.map((member) => ({
          accountId: input.accountId,
          queueId: input.queueId,
          userId: member.userId,
          priority: member.priority ?? 1,
        })),
      )
      .onConflictDoUpdate({
        target: [routingQueueMembers.accountId, routingQueueMembers.queueId, routingQueueMembers.userId],
        set: { priority: sql`excluded.priority` },
      });
    await scheduleRetry(tx, input.accountId, { isDeduplicated: true });
  });
}

export async function removeQueueMembers(
  db: Db,
  input: { accountId: number; queueId: number; userIds: number[] },
): Promise<number[]> {
  if (input.userIds.length === 0) return [];
  const rows = await db
    .delete(routingQueueMembers)
    .where(
      and(
        eq(routingQueueMembers.accountId, input.accountId),
        eq(routingQueueMembers.queueId, input.queueId),
        inArray(routingQueueMembers.userId, input.userIds),
      ),
    )
    .returning({ userId: routingQueueMembers.userId });
  return rows.map((row) => row.userId);
}

export async function listQueueMembers(
  db: Db,
  accountId: number,
  queueId: number,
): Promise<QueueMemberRow[]> {
  return db
    .select()
    .from(routingQueueMembers)
    .where(and(eq(routingQueueMembers.accountId, accountId), eq(routingQueueMembers.queueId, queueId)))
    .orderBy(asc(routingQueueMembers.priority), asc(routingQueueMembers.userId));
}

/**
 * Makes exactly these inboxes feed the queue (an inbox feeds one queue: it moves from any other).
 * The queue and every inbox must be the account's, or nothing changes (not found). Conversations
 * created from then on are routed; those already open stay where they are.
 */
export async function setQueueUsages(
  db: Db,
  input: { accountId: number; queueId: number; inboxIds: number[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await getQueueById(tx, input.accountId, input.queueId);
    const owned = input.inboxIds.length
      ? await tx
          .select({ id: inboxes.id })
          .from(inboxes)
          .where(and(eq(inboxes.accountId, input.accountId), inArray(inboxes.id, input.inboxIds)))
      : [];
    if (owned.length !== new Set(input.inboxIds).size) throw notFound('Inbox');
    await tx
      .delete(routingQueueUsages)
      .where(
        and(eq(routingQueueUsages.accountId, input.accountId), eq(routingQueueUsages.queueId, input.queueId)),
      );
    if (owned.length === 0) return;
    await tx
      .insert(routingQueueUsages)
      .values(
        owned.map((inbox) => ({ accountId: input.accountId, inboxId: inbox.id, queueId: input.queueId })),
      )
      .onConflictDoUpdate({
        target: [routingQueueUsages.accountId, routingQueueUsages.inboxId],
        set: { queueId: input.queueId },
      });
  });
}

/** The inboxes feeding each of the given queues, with their uuid and channel type. */
export async function listQueueUsages(db: Db, accountId: number, queueIds: number[]) {
  if (queueIds.length === 0) return [];
  return db
    .select({
      queueId: routingQueueUsages.queueId,
      inboxId: inboxes.id,
      inboxUuid: inboxes.uuid,
      channelType: inboxes.channelType,
    })
    .from(routingQueueUsages)
    .innerJoin(
      inboxes,
      and(eq(inboxes.accountId, routingQueueUsages.accountId), eq(inboxes.id, routingQueueUsages.inboxId)),
    )
    .where(and(eq(routingQueueUsages.accountId, accountId), inArray(routingQueueUsages.queueId, queueIds)))
    .orderBy(asc(inboxes.id));
}

/**
 * The queue a new conversation of this inbox waits in: the inbox's usage, else the default queue.
 * One round trip, as it runs in every conversation's creating transaction.
 */
export async function resolveQueueForInbox(
  db: Db,
  accountId: number,
  inboxId: number,
): Promise<QueueRow | null> {
  const isUsedQueue = sql`${routingQueues.id} = (
    SELECT ${routingQueueUsages.queueId} FROM ${routingQueueUsages}
    WHERE ${routingQueueUsages.accountId} = ${accountId} AND ${routingQueueUsages.inboxId} = ${inboxId})`;
  const [row] = await db
    .select()
    .from(routingQueues)
    .where(and(eq(routingQueues.accountId, accountId), or(isUsedQueue, eq(routingQueues.isDefault, true))))
    // The inbox's own queue before the default one.
    .orderBy(sql`${isUsedQueue} DESC NULLS LAST`)
    .limit(1);
  return row ?? null;
}
