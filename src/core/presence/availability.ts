import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { memberUpdated } from '../identity/identity.events.js';
import { accountUsers, type Availability } from '../identity/identity.tables.js';
import { agentPresenceChanges } from './presence.tables.js';
import { touchLastSeen } from './last-seen.js';

/**
 * Applies a connection's effect on availability, inside the caller's transaction. Going online only
 * lifts `offline` (a chosen `busy` stays); going offline only applies with auto_offline. Nothing
 * changes, and no event is recorded, when the agent is already there; the history still gets its
 * connected/disconnected row then, since the connection did change.
 */
export async function applyConnectionChange(
  tx: Db,
  input: { accountId: number; userId: number; to: Extract<Availability, 'online' | 'offline'> },
): Promise<void> {
  const cause = input.to === 'online' ? 'connected' : 'disconnected';
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
