import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
import { teamMembers } from '../teams/teams.tables.js';
import { memberRemoved, memberUpdated } from './identity.events.js';
import { accountUsers, type Availability, type Role } from './identity.tables.js';
import { assertKeepsAnAdministrator } from './members.js';
import { getAgent, type Agent } from './agents.js';

export interface AgentSettings {
  role?: Role | undefined;
  availability?: Availability | undefined;
  autoOffline?: boolean | undefined;
}

function eventPayload(row: typeof accountUsers.$inferSelect) {
  return { accountId: row.accountId, userId: row.userId, role: row.role, availability: row.availability };
}

export async function updateAgent(
  db: Db,
  input: AgentSettings & { accountId: number; userId: number },
  actor: Actor,
): Promise<Agent> {
  const { accountId, userId } = input;
  await db.transaction(async (tx) => {
    if (input.role === 'agent') await assertKeepsAnAdministrator(tx, accountId, userId);
    const [row] = await tx
      .update(accountUsers)
      .set({
        ...(input.role !== undefined && { role: input.role }),
        ...(input.availability !== undefined && { availability: input.availability }),
        ...(input.autoOffline !== undefined && { autoOffline: input.autoOffline }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)))
      .returning();
    if (!row) throw notFound('Agent');
    await recordEvent(tx, memberUpdated, {
      accountId,
      aggregateId: `${accountId}:${userId}`,
      payload: eventPayload(row),
      actor,
    });
  });
  return getAgent(db, accountId, userId);
}

/** Removes the agent from the account and from its inboxes and teams; the user itself stays. */
export async function removeAgent(db: Db, accountId: number, userId: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await assertKeepsAnAdministrator(tx, accountId, userId);
    const [row] = await tx
      .delete(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)))
      .returning();
    if (!row) throw notFound('Agent');
    await tx
      .delete(inboxMembers)
      .where(and(eq(inboxMembers.accountId, accountId), eq(inboxMembers.userId, userId)));
    await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.accountId, accountId), eq(teamMembers.userId, userId)));
    await recordEvent(tx, memberRemoved, {
      accountId,
      aggregateId: `${accountId}:${userId}`,
      payload: eventPayload(row),
      actor,
    });
  });
}
