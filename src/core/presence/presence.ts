import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import type { Logger } from '../../platform/logger.js';
import { memberUpdated } from '../identity/identity.events.js';
import { accountUsers, type Availability } from '../identity/identity.tables.js';
import { agentPresenceChanges } from './presence.tables.js';
import { touchLastSeen } from './last-seen.js';

/**
 * Agent presence from real-time connections: an agent's first connection to an account makes
 * them online there (unless they chose busy), and closing the last one makes them offline when
 * their membership has `auto_offline`. Changes are member.updated events, so every connected
 * client and webhook learns about them through the outbox like any other change. Every connection
 * and disconnection also moves the agent's last-seen time, and the first and last ones are written
 * to the presence history (agent_presence_changes) even when availability stays as it was.
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
      const member = { accountId, userId };
      enqueue(key, () =>
        count === 1 ? setAvailability(deps.db, { ...member, to: 'online' }) : touchLastSeen(deps.db, member),
      );
    },
    disconnected(accountId, userId) {
      const key = `${accountId}:${userId}`;
      const count = (counts.get(key) ?? 1) - 1;
      const member = { accountId, userId };
      if (count > 0) {
        counts.set(key, count);
        enqueue(key, () => touchLastSeen(deps.db, member));
        return;
      }
      counts.delete(key);
      enqueue(key, () => setAvailability(deps.db, { ...member, to: 'offline' }));
    },
    async settled() {
      await Promise.all([...chains.values()]);
    },
  };
}

/**
 * Going online only lifts `offline` (a chosen `busy` stays); going offline only applies with
 * auto_offline. Nothing changes, and no event is recorded, when the agent is already there; the
 * history still gets its connected/disconnected row then, since the connection did change.
 */
async function setAvailability(
  db: Db,
  input: { accountId: number; userId: number; to: Extract<Availability, 'online' | 'offline'> },
): Promise<void> {
  const cause = input.to === 'online' ? 'connected' : 'disconnected';
  await db.transaction(async (tx) => {
    // The history trigger on account_users names its row after this, for this transaction only.
    await tx.execute(sql`SELECT set_config('parley.presence_cause', ${cause}, true)`);
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
    await touchLastSeen(tx, input);
    if (!row) {
      await recordUnchangedConnection(tx, { ...input, cause });
      return;
    }
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

/** A connection that left availability as it was (busy, or no auto_offline) is history all the same. */
async function recordUnchangedConnection(
  tx: Db,
  input: { accountId: number; userId: number; cause: 'connected' | 'disconnected' },
): Promise<void> {
  await tx.execute(sql`
    INSERT INTO ${agentPresenceChanges} (account_id, user_id, cause, availability, previous_availability)
    SELECT account_id, user_id, ${input.cause}, availability, availability FROM ${accountUsers}
    WHERE account_id = ${input.accountId} AND user_id = ${input.userId}`);
}
