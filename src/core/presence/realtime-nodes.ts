import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import { applyConnectionChange } from './availability.js';
import { liveConnections, liveNodeSql, lockMember, type Member } from './connection-counts.js';

/** How often a node with connections says it is alive, and how long its silence is tolerated. */
export const NODE_HEARTBEAT_MS = 15_000;
export const NODE_TTL_MS = 60_000;

/** Members whose dead connections one sweep settles at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Marks the node alive now. Returns true when its row had to be created: the node is new, or it
 * was presumed dead and swept (its counts are gone and must be restored).
 */
export async function heartbeatNode(db: Db, nodeId: string): Promise<boolean> {
  const rows = await queryRows<{ inserted: boolean }>(
    db,
    sql`INSERT INTO realtime_nodes (id) VALUES (${nodeId})
        ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()
        RETURNING (xmax = 0) AS inserted`,
  );
  return rows[0]?.inserted === true;
}

/**
 * Expires the connections of nodes that stopped their heartbeat (crashed, cut off): each agent
 * they held goes offline unless a live node still holds one of theirs, exactly as if the
 * connections had closed. Safe to run on every node at once (the membership lock serializes each
 * agent) and crash-safe (a node's row goes only once its connections are settled). Returns how
 * many agents' dead connections were settled.
 */
export async function sweepExpiredNodes(db: Db, options: { ttlMs?: number } = {}): Promise<number> {
  const ttlMs = options.ttlMs ?? NODE_TTL_MS;
  const dead = sql`NOT EXISTS (SELECT 1 FROM realtime_nodes n WHERE n.id = c.node_id AND ${liveNodeSql(ttlMs)})`;
  const members = await queryRows<{ account_id: number | string; user_id: number | string }>(
    db,
    sql`SELECT DISTINCT c.account_id, c.user_id FROM agent_connections c WHERE ${dead} LIMIT ${SWEEP_BATCH}`,
  );
  for (const row of members) {
    await settleDeadConnections(
      db,
      { accountId: Number(row.account_id), userId: Number(row.user_id) },
      dead,
      ttlMs,
    );
  }
  await db.execute(
    sql`DELETE FROM realtime_nodes n WHERE NOT (${liveNodeSql(ttlMs)})
        AND NOT EXISTS (SELECT 1 FROM agent_connections c WHERE c.node_id = n.id)`,
  );
  return members.length;
}

async function settleDeadConnections(db: Db, member: Member, dead: SQL, ttlMs: number): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await lockMember(tx, member))) return;
    const removed = await queryRows<{ node_id: string }>(
      tx,
      sql`DELETE FROM agent_connections c
          WHERE c.account_id = ${member.accountId} AND c.user_id = ${member.userId} AND ${dead}
          RETURNING c.node_id`,
    );
    if (removed.length === 0) return;
    if ((await liveConnections(tx, member, ttlMs)) === 0) {
      await applyConnectionChange(tx, { ...member, to: 'offline' });
    }
  });
}
