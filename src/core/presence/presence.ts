import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { addConnections, removeConnection } from './connection-counts.js';
import { heartbeatNode, NODE_HEARTBEAT_MS, NODE_TTL_MS, sweepExpiredNodes } from './realtime-nodes.js';

/**
 * Agent presence from real-time connections: an agent's first connection to an account, on any
 * node, makes them online there (unless they chose busy), and closing the last one everywhere
 * makes them offline when their membership has `auto_offline`. Changes are member.updated events,
 * so every connected client and webhook learns about them through the outbox like any other
 * change. Every connection and disconnection also moves the agent's last-seen time, and the first
 * and last ones are written to the presence history (agent_presence_changes) even when
 * availability stays as it was.
 *
 * Counts live in the shared database, per node (connection-counts.ts). While this node holds
 * connections it beats its heartbeat and sweeps the nodes whose heartbeat stopped, so a crashed
 * node's agents go offline; `presence-runtime.ts` sweeps on a schedule as well, for when no node
 * holds any connection.
 */
export interface PresenceTracker {
  /** This node's id in `realtime_nodes`. */
  readonly nodeId: string;
  connected(accountId: number, userId: number): void;
  disconnected(accountId: number, userId: number): void;
  /** Resolves once every change started so far is written (tests, shutdown). */
  settled(): Promise<void>;
  /** Beats now what the timer beats: heartbeat, restore if this node was swept, sweep others. */
  heartbeat(): Promise<void>;
  /** Stops the heartbeat (the node's connections then expire with it unless closed first). */
  close(): void;
}

export interface PresenceTrackerOptions {
  db: Db;
  logger: Logger;
  nodeId?: string;
  heartbeatMs?: number;
  nodeTtlMs?: number;
}

export function createPresenceTracker(options: PresenceTrackerOptions): PresenceTracker {
  const { db, logger } = options;
  const nodeId = options.nodeId ?? randomUUID();
  const ttlMs = options.nodeTtlMs ?? NODE_TTL_MS;
  const heartbeatMs = options.heartbeatMs ?? NODE_HEARTBEAT_MS;
  const counts = new Map<string, { accountId: number; userId: number; count: number }>();
  // One chain per agent keeps their writes in connection order; the node's own work has one too.
  const chains = new Map<string, Promise<void>>();
  let heartbeat: NodeJS.Timeout | undefined;

  function enqueue(key: string, work: () => Promise<unknown>): void {
    const next = (chains.get(key) ?? Promise.resolve()).then(work).then(
      () => undefined,
      (error: unknown) => logger.warn({ err: error, key, nodeId }, 'presence update failed'),
    );
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  }

  /** Every agent's chain waits for the node row, so no count is written for a node not yet alive. */
  function startHeartbeat(): void {
    if (heartbeat) return;
    enqueue('node', () => heartbeatNode(db, nodeId));
    heartbeat = setInterval(() => enqueue('node', beat), heartbeatMs);
    heartbeat.unref();
  }

  async function beat(): Promise<void> {
    const wasSwept = await heartbeatNode(db, nodeId);
    if (wasSwept) {
      logger.warn({ nodeId }, 'this node was presumed dead; restoring its connection counts');
      for (const [key, entry] of counts) {
        const set = entry.count;
        enqueue(key, () => addConnections(db, { ...entry, nodeId, ttlMs, set }));
      }
    }
    await sweepExpiredNodes(db, { ttlMs });
  }

  function stopHeartbeatWhenIdle(): void {
    if (counts.size > 0 || !heartbeat) return;
    clearInterval(heartbeat);
    heartbeat = undefined;
  }

  function afterNode(work: () => Promise<void>): () => Promise<void> {
    const node = chains.get('node');
    return node ? () => node.then(work) : work;
  }

  return {
    nodeId,
    connected(accountId, userId) {
      const key = `${accountId}:${userId}`;
      const entry = counts.get(key) ?? { accountId, userId, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
      startHeartbeat();
      enqueue(
        key,
        afterNode(() => addConnections(db, { accountId, userId, nodeId, ttlMs, add: 1 })),
      );
    },
    disconnected(accountId, userId) {
      const key = `${accountId}:${userId}`;
      const entry = counts.get(key);
      if (!entry) return;
      entry.count -= 1;
      if (entry.count <= 0) counts.delete(key);
      enqueue(key, () => removeConnection(db, { accountId, userId, nodeId, ttlMs }));
      stopHeartbeatWhenIdle();
    },
    async settled() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
    async heartbeat() {
      enqueue('node', beat);
      await chains.get('node');
    },
    close() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
    },
  };
}
