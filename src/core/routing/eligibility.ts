import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import { routingAgentStates, routingOfferAgents, routingQueueMembers } from './routing.tables.js';
import type { Candidate } from './offering-algorithms.js';

/** How many open conversations of a channel an agent holds at once unless configured otherwise. */
export const DEFAULT_CAPACITY: Record<string, number> = { voice: 1 };
export const DEFAULT_CHAT_CAPACITY = 5;

export function capacityFor(capacities: Record<string, number>, channel: string): number {
  return capacities[channel] ?? DEFAULT_CAPACITY[channel] ?? DEFAULT_CHAT_CAPACITY;
}

const notWrappingUp = or(
  isNull(routingAgentStates.wrapupUntil),
  lte(routingAgentStates.wrapupUntil, sql`clock_timestamp()`),
);

/**
 * The queue's members who can take a conversation of `channel` now: online in the account
 * (Parley's Working presence), not wrapping up, and holding fewer open conversations plus pending
 * offers of that channel than their capacity. Three queries whatever the number of members.
 */
export async function findEligibleAgents(
  tx: Db,
  input: { accountId: number; queueId: number; channel: string },
): Promise<Candidate[]> {
  const members = await tx
    .select({
      userId: routingQueueMembers.userId,
      priority: routingQueueMembers.priority,
      idleSince: routingAgentStates.idleSince,
      capacities: routingAgentStates.capacities,
    })
    .from(routingQueueMembers)
    .innerJoin(
      accountUsers,
      and(
        eq(accountUsers.accountId, routingQueueMembers.accountId),
        eq(accountUsers.userId, routingQueueMembers.userId),
        eq(accountUsers.availability, 'online'),
      ),
    )
    .leftJoin(
      routingAgentStates,
      and(
        eq(routingAgentStates.accountId, routingQueueMembers.accountId),
        eq(routingAgentStates.userId, routingQueueMembers.userId),
      ),
    )
    .where(
      and(
        eq(routingQueueMembers.accountId, input.accountId),
        eq(routingQueueMembers.queueId, input.queueId),
        notWrappingUp,
      ),
    );
  return underCapacity(tx, input.accountId, input.channel, members);
}

/**
 * One agent, whether or not a member of the queue (a personal transfer or an end user's preferred
 * agent): online, and able to take a conversation of `channel` now by the same rules as members.
 */
export async function agentAvailability(
  tx: Db,
  input: { accountId: number; userId: number; channel: string },
): Promise<{ isOnline: boolean; candidate: Candidate | null }> {
  const [agent] = await tx
    .select({
      availability: accountUsers.availability,
      idleSince: routingAgentStates.idleSince,
      capacities: routingAgentStates.capacities,
      isWrappingUp: sql<boolean>`NOT coalesce(${notWrappingUp}, true)`,
    })
    .from(accountUsers)
    .leftJoin(
      routingAgentStates,
      and(
        eq(routingAgentStates.accountId, accountUsers.accountId),
        eq(routingAgentStates.userId, accountUsers.userId),
      ),
    )
    .where(and(eq(accountUsers.accountId, input.accountId), eq(accountUsers.userId, input.userId)));
  if (!agent || agent.availability !== 'online') return { isOnline: false, candidate: null };
  if (agent.isWrappingUp) return { isOnline: true, candidate: null };
  const [candidate] = await underCapacity(tx, input.accountId, input.channel, [
    { userId: input.userId, priority: 1, idleSince: agent.idleSince, capacities: agent.capacities },
  ]);
  return { isOnline: true, candidate: candidate ?? null };
}

async function underCapacity(
  tx: Db,
  accountId: number,
  channel: string,
  agents: {
    userId: number;
    priority: number;
    idleSince: Date | null;
    capacities: Record<string, number> | null;
  }[],
): Promise<Candidate[]> {
  if (agents.length === 0) return [];
  const load = await loadOf(
    tx,
    accountId,
    channel,
    agents.map((agent) => agent.userId),
  );
  return agents
    .filter((agent) => (load.get(agent.userId) ?? 0) < capacityFor(agent.capacities ?? {}, channel))
    .map((agent) => ({ userId: agent.userId, priority: agent.priority, idleSince: agent.idleSince }));
}

/** Open conversations assigned in the channel plus pending offers of the channel, per agent. */
async function loadOf(
  tx: Db,
  accountId: number,
  channel: string,
  userIds: number[],
): Promise<Map<number, number>> {
  const [assigned, offered] = await Promise.all([
    tx
      .select({ userId: conversations.assigneeId, count: sql`count(*)::int`.mapWith(Number) })
      .from(conversations)
      .innerJoin(
        inboxes,
        and(eq(inboxes.accountId, conversations.accountId), eq(inboxes.id, conversations.inboxId)),
      )
      .where(
        and(
          eq(conversations.accountId, accountId),
          inArray(conversations.assigneeId, userIds),
          eq(conversations.status, 'open'),
          eq(inboxes.channelType, channel as (typeof inboxes.channelType.enumValues)[number]),
        ),
      )
      .groupBy(conversations.assigneeId),
    tx
      .select({ userId: routingOfferAgents.userId, count: sql`count(*)::int`.mapWith(Number) })
      .from(routingOfferAgents)
      .where(
        and(
          eq(routingOfferAgents.accountId, accountId),
          inArray(routingOfferAgents.userId, userIds),
          eq(routingOfferAgents.channel, channel),
          eq(routingOfferAgents.state, 'pending'),
        ),
      )
      .groupBy(routingOfferAgents.userId),
  ]);
  const load = new Map<number, number>();
  for (const row of [...assigned, ...offered]) {
    if (row.userId === null) continue;
    load.set(row.userId, (load.get(row.userId) ?? 0) + row.count);
  }
  return load;
}

/** Marks agents as routed now (an offer made or ended): the LongestIdle order starts from here. */
export async function touchAgents(tx: Db, accountId: number, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(routingAgentStates)
    .values(userIds.map((userId) => ({ accountId, userId, idleSince: sql`clock_timestamp()` })))
    .onConflictDoUpdate({
      target: [routingAgentStates.accountId, routingAgentStates.userId],
      set: { idleSince: sql`clock_timestamp()`, updatedAt: sql`now()` },
    });
}

/** Sets how many open conversations of a channel (a Parley channel type) the agent may hold. */
export async function setAgentCapacity(
  db: Db,
  input: { accountId: number; userId: number; channel: string; capacity: number },
): Promise<void> {
  const patch = sql`jsonb_build_object(${input.channel}::text, ${input.capacity}::int)`;
  await db
    .insert(routingAgentStates)
    .values({
      accountId: input.accountId,
      userId: input.userId,
      capacities: { [input.channel]: input.capacity },
    })
    .onConflictDoUpdate({
      target: [routingAgentStates.accountId, routingAgentStates.userId],
      set: { capacities: sql`${routingAgentStates.capacities} || ${patch}`, updatedAt: sql`now()` },
    });
}

/**
 * The agent closed a conversation they took from `wrapupSeconds`' queue: no offers until the
 * wrap-up ends (the account's sweep offers again once it has).
 */
export async function startWrapup(
  tx: Db,
  input: { accountId: number; userId: number; wrapupSeconds: number },
): Promise<void> {
  if (input.wrapupSeconds <= 0) return;
  const until = sql`clock_timestamp() + ${input.wrapupSeconds}::int * interval '1 second'`;
  await tx
    .insert(routingAgentStates)
    .values({ accountId: input.accountId, userId: input.userId, wrapupUntil: until })
    .onConflictDoUpdate({
      target: [routingAgentStates.accountId, routingAgentStates.userId],
      set: { wrapupUntil: until, updatedAt: sql`now()` },
    });
}
