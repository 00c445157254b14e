import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
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
import {
  queueCreated,
  recordQueueEvent,
  queueInboxesChanged,
  queueMembersChanged,
  queueUpdated,
} from './queue-admin.events.js';
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
export async function createQueue(
  db: Db,
  input: QueueSettings & { accountId: number },
  actor: Actor,
): Promise<QueueRow> {
  return db.transaction(async (tx) => {
    if (input.isDefault) {
      const previous = await tx
        .update(routingQueues)
        .set({ isDefault: false, updatedAt: sql`now()` })
        .where(and(eq(routingQueues.accountId, input.accountId), eq(routingQueues.isDefault, true)))
        .returning();
      for (const queue of previous) {
        await recordQueueEvent(tx, queueUpdated, queue, actor);
      }
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
    await recordQueueEvent(tx, queueCreated, row, actor);
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

/** A queue's members and their priorities, read after locking the queue so changes to it run one at a time. */
async function lockedMembers(tx: Db, accountId: number, queueId: number): Promise<Map<number, number>> {
  const [queue] = await tx
    .select({ id: routingQueues.id })
    .from(routingQueues)
    .where(and(eq(routingQueues.accountId, accountId), eq(routingQueues.id, queueId)))
    .for('no key update');
  if (!queue) throw notFound('Queue');
  return membersOf(tx, accountId, queueId);
}

async function membersOf(tx: Db, accountId: number, queueId: number): Promise<Map<number, number>> {
  const rows = await listQueueMembers(tx, accountId, queueId);
  return new Map(rows.map((row) => [row.userId, row.priority]));
}

/** Records `queue.members_changed` when the members or their priorities differ from `before`. */
async function recordMembersChange(
  tx: Db,
  input: { accountId: number; queueId: number; before: Map<number, number> },
  actor: Actor,
): Promise<void> {
  const after = await membersOf(tx, input.accountId, input.queueId);
  const addedUserIds = [...after.keys()].filter((userId) => !input.before.has(userId));
  const removedUserIds = [...input.before.keys()].filter((userId) => !after.has(userId));
  const isReprioritized = [...after].some(
    ([userId, priority]) => input.before.has(userId) && input.before.get(userId) !== priority,
  );
  if (addedUserIds.length === 0 && removedUserIds.length === 0 && !isReprioritized) return;
  await recordEvent(tx, queueMembersChanged, {
    accountId: input.accountId,
    aggregateId: input.queueId,
    payload: {
      queueId: input.queueId,
      addedUserIds,
      removedUserIds,
      userIds: [...after.keys()],
      members: [...after].map(([userId, priority]) => ({ userId, priority })),
    },
    actor,
  });
}

/** Adds (or re-prioritises) members; new members may take waiting conversations at once. */
export async function addQueueMembers(
  db: Db,
  input: { accountId: number; queueId: number; members: { userId: number; priority?: number }[] },
  actor: Actor,
): Promise<void> {
  if (input.members.length === 0) return;
  await db.transaction(async (tx) => {
    const before = await lockedMembers(tx, input.accountId, input.queueId);
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
    await recordMembersChange(tx, { accountId: input.accountId, queueId: input.queueId, before }, actor);
    await scheduleRetry(tx, input.accountId, { isDeduplicated: true });
  });
}

/** Removes members; returns the user ids that were members. */
export async function removeQueueMembers(
  db: Db,
  input: { accountId: number; queueId: number; userIds: number[] },
  actor: Actor,
): Promise<number[]> {
  if (input.userIds.length === 0) return [];
  return db.transaction(async (tx) => {
    const before = await lockedMembers(tx, input.accountId, input.queueId);
    const rows = await tx
      .delete(routingQueueMembers)
      .where(
        and(
          eq(routingQueueMembers.accountId, input.accountId),
          eq(routingQueueMembers.queueId, input.queueId),
          inArray(routingQueueMembers.userId, input.userIds),
        ),
      )
      .returning({ userId: routingQueueMembers.userId });
    await recordMembersChange(tx, { accountId: input.accountId, queueId: input.queueId, before }, actor);
    return rows.map((row) => row.userId);
  });
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
  actor: Actor,
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
    const ownedIds = owned.map((inbox) => inbox.id);
    // The queues that lose an inbox to this one change too: their sets before, to record both.
    const before = await inboxesByQueue(tx, input.accountId, input.queueId, ownedIds);
    await tx
      .delete(routingQueueUsages)
      .where(
        and(eq(routingQueueUsages.accountId, input.accountId), eq(routingQueueUsages.queueId, input.queueId)),
      );
    if (owned.length > 0) {
      await tx
        .insert(routingQueueUsages)
        .values(ownedIds.map((inboxId) => ({ accountId: input.accountId, inboxId, queueId: input.queueId })))
        .onConflictDoUpdate({
          target: [routingQueueUsages.accountId, routingQueueUsages.inboxId],
          set: { queueId: input.queueId },
        });
    }
    const moved = new Set(ownedIds);
    for (const [queueId, previousInboxIds] of before) {
      const inboxIds =
        queueId === input.queueId
          ? [...moved].sort((a, b) => a - b)
          : previousInboxIds.filter((inboxId) => !moved.has(inboxId));
      if (inboxIds.join() === previousInboxIds.join()) continue;
      await recordEvent(tx, queueInboxesChanged, {
        accountId: input.accountId,
        aggregateId: queueId,
        payload: { queueId, previousInboxIds, inboxIds },
        actor,
      });
    }
  });
}

/**
 * The inboxes of this queue and of every queue now fed by one of `inboxIds`, by queue (this one
 * always present), each sorted.
 */
async function inboxesByQueue(
  tx: Db,
  accountId: number,
  queueId: number,
  inboxIds: number[],
): Promise<Map<number, number[]>> {
  const usages = await tx
    .select({ queueId: routingQueueUsages.queueId, inboxId: routingQueueUsages.inboxId })
    .from(routingQueueUsages)
    .where(
      and(
        eq(routingQueueUsages.accountId, accountId),
        or(
          eq(routingQueueUsages.queueId, queueId),
          inArray(
            routingQueueUsages.queueId,
            tx
              .select({ queueId: routingQueueUsages.queueId })
              .from(routingQueueUsages)
              .where(
                and(
                  eq(routingQueueUsages.accountId, accountId),
                  inArray(routingQueueUsages.inboxId, inboxIds.length ? inboxIds : [-1]),
                ),
              ),
          ),
        ),
      ),
    )
    .orderBy(asc(routingQueueUsages.queueId), asc(routingQueueUsages.inboxId));
  const byQueue = new Map<number, number[]>([[queueId, []]]);
  for (const usage of usages) {
    const list = byQueue.get(usage.queueId) ?? [];
    list.push(usage.inboxId);
    byQueue.set(usage.queueId, list);
  }
  return byQueue;
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
