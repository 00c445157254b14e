import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { accounts, accountUsers } from '../identity/identity.tables.js';
import { agentConnections } from './presence.tables.js';
import { applyConnectionChange } from './availability.js';
import { touchLastSeen } from './last-seen.js';

/**
 * Real-time connection counts in the shared store (the database every node uses, where
 * availability itself lives: a count and the availability it implies change in one transaction).
 * Each change locks the membership row first, so two nodes connecting and disconnecting the same
 * agent at once see each other's counts.
 */
export interface Member {
  accountId: number;
  userId: number;
}

/** A node's connections count while its heartbeat is younger than this. */
export const liveNodeSql = (ttlMs: number) =>
  sql`n.heartbeat_at >= now() - ${Math.round(ttlMs)}::int * interval '1 millisecond'`;

/** The member's connections held by live nodes. */
export async function liveConnections(tx: Db, member: Member, ttlMs: number): Promise<number> {
  const rows = await queryRows<{ live: number | string }>(
    tx,
    sql`SELECT coalesce(sum(c.connections), 0) AS live
        FROM agent_connections c JOIN realtime_nodes n ON n.id = c.node_id
        WHERE c.account_id = ${member.accountId} AND c.user_id = ${member.userId} AND ${liveNodeSql(ttlMs)}`,
  );
  return Number(rows[0]?.live ?? 0);
}

/**
 * Locks the membership for this transaction; false when the agent is no member (nothing to count).
 * The account row is share-locked first, in the order a deletion of the account takes its locks
 * (account, then its memberships by cascade): otherwise a connection counted while its account is
 * deleted holds the membership and waits on the account, and the deletion deadlocks with it.
 */
export async function lockMember(tx: Db, member: Member): Promise<boolean> {
  const account = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.id, member.accountId))
    .for('key share');
  if (account.length === 0) return false;
  const rows = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, member.accountId), eq(accountUsers.userId, member.userId)))
    .for('update');
  return rows.length > 0;
}

const connectionKey = (member: Member, nodeId: string) =>
  and(
    eq(agentConnections.accountId, member.accountId),
    eq(agentConnections.userId, member.userId),
    eq(agentConnections.nodeId, nodeId),
  );

/**
 * Counts connections of the member on the node: `add` more, or exactly `set` (a node restoring
 * its counts after it was presumed dead). The first live connection anywhere makes them online.
 */
export async function addConnections(
  db: Db,
  input: Member & { nodeId: string; ttlMs: number } & ({ add: number } | { set: number }),
): Promise<void> {
  const member = { accountId: input.accountId, userId: input.userId };
  await db.transaction(async (tx) => {
    if (!(await lockMember(tx, member))) return;
    const before = await liveConnections(tx, member, input.ttlMs);
    const count = 'add' in input ? input.add : input.set;
    await tx
      .insert(agentConnections)
      .values({ ...member, nodeId: input.nodeId, connections: count })
      .onConflictDoUpdate({
        target: [agentConnections.accountId, agentConnections.userId, agentConnections.nodeId],
        set: {
          connections: 'add' in input ? sql`${agentConnections.connections} + ${count}` : count,
          updatedAt: sql`now()`,
        },
      });
    if (before === 0) await applyConnectionChange(tx, { ...member, to: 'online' });
    else await touchLastSeen(tx, member);
  });
}

/**
 * One connection of the member on the node closed. When no live node holds another, they go
 * offline (with auto_offline). A count the sweep already removed (the node was presumed dead) only
 * moves last seen: the sweep applied the disconnection.
 */
export async function removeConnection(
  db: Db,
  input: Member & { nodeId: string; ttlMs: number },
): Promise<void> {
  const member = { accountId: input.accountId, userId: input.userId };
  await db.transaction(async (tx) => {
    if (!(await lockMember(tx, member))) return;
    const [row] = await tx
      .update(agentConnections)
      .set({ connections: sql`${agentConnections.connections} - 1`, updatedAt: sql`now()` })
      .where(connectionKey(member, input.nodeId))
      .returning({ connections: agentConnections.connections });
    if (row && row.connections <= 0)
      await tx.delete(agentConnections).where(connectionKey(member, input.nodeId));
    const remaining = row ? await liveConnections(tx, member, input.ttlMs) : 1;
    if (remaining === 0) await applyConnectionChange(tx, { ...member, to: 'offline' });
    else await touchLastSeen(tx, member);
  });
}
