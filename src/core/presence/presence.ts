import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import type { Logger } from '../../platform/logger.js';
import { memberUpdated } from '../identity/identity.events.js';
import { accountUsers, type Availability } from '../identity/identity.tables.js';

/**
 * Agent presence from real-time connections: an agent's first connection to an account makes
 * them online there (unless they chose busy), and closing the last one makes them offline when
 * their membership has `auto_offline`. Changes are member.updated events, so every connected
 * client and webhook learns about them through the outbox like any other change.
 *
 * Connection counts live in this process: with several API nodes an agent connected to two nodes
 * goes offline when either node loses its last connection (TODO #3: shared counts in Redis).
 */
export interface PresenceTracker {
  connected(accountId: number, userId: number): void;
  disconnected(accountId: number, userId: number): void;
  /** Resolves once every availability change started so far is written (tests, shutdown). */
  settled(): Promise<void>;
}

export function createPresenceTracker(deps: { db: Db; logger: Logger }): PresenceTracker {
  const counts = new Map<string, number>();
  // One chain per agent keeps their online/offline writes in connection order.
  const chains = new Map<string, Promise<void>>();

  function enqueue(key: string, work: () => Promise<void>): void {
    const next = (chains.get(key) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      deps.logger.warn({ err: error, member: key }, 'presence update failed');
    });
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  }

  return {
    connected(accountId, userId) {
      const key = `${accountId}:${userId}`;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      if (count === 1) enqueue(key, () => setAvailability(deps.db, { accountId, userId, to: 'online' }));
    },
    disconnected(accountId, userId) {
      const key = `${accountId}:${userId}`;
      const count = (counts.get(key) ?? 1) - 1;
      if (count > 0) {
        counts.set(key, count);
        return;
      }
      counts.delete(key);
      enqueue(key, () => setAvailability(deps.db, { accountId, userId, to: 'offline' }));
    },
    async settled() {
      await Promise.all([...chains.values()]);
    },
  };
}

/**
 * Going online only lifts `offline` (a chosen `busy` stays); going offline only applies with
 * auto_offline. Nothing changes, and no event is recorded, when the agent is already there.
 */
async function setAvailability(
  db: Db,
  input: { accountId: number; userId: number; to: Extract<Availability, 'online' | 'offline'> },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(accountUsers)
      .set({ availability: input.to, updatedAt: sql`now()` })
      .where(
        and(
          eq(accountUsers.accountId, input.accountId),
          eq(accountUsers.userId, input.userId),
          input.to === 'online'
            ? eq(accountUsers.availability, 'offline')
            : and(eq(accountUsers.autoOffline, true), ne(accountUsers.availability, 'offline')),
        ),
      )
      .returning();
    if (!row) return;
    await recordEvent(tx, memberUpdated, {
      accountId: row.accountId,
      aggregateId: `${row.accountId}:${row.userId}`,
      payload: {
        accountId: row.accountId,
        userId: row.userId,
        role: row.role,
        availability: row.availability,
      },
      actor: { type: 'user', id: row.userId },
    });
  });
}
