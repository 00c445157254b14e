import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import {
  assertAccountMembers,
  planMembershipChange,
  type MembershipChange,
} from '../identity/membership-change.js';
import { teamMembers, teams, type TeamRow } from './teams.tables.js';
import {
  teamCreated,
  teamDeleted,
  teamEventPayload,
  teamMembersChanged,
  teamUpdated,
} from './teams.events.js';
import { getTeam, listTeamMemberIds } from './teams.js';

export interface TeamInput {
  name?: string | undefined;
  description?: string | null | undefined;
  allowAutoAssign?: boolean | undefined;
}

function nameTaken(): DomainError {
  return new DomainError('VALIDATION_FAILED', 'A team with this name already exists', [
    { path: 'name', message: 'has already been taken' },
  ]);
}

async function assertNameFree(db: Db, accountId: number, name: string, exceptId?: number): Promise<void> {
  const [row] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), sql`lower(${teams.name}) = lower(${name})`));
  if (row && row.id !== exceptId) throw nameTaken();
}

/** Chatwoot stores team names in lower case; Parley keeps the spelling but compares case-insensitively. */
export async function createTeam(
  db: Db,
  input: TeamInput & { accountId: number; name: string },
  actor: Actor,
): Promise<TeamRow> {
  await assertNameFree(db, input.accountId, input.name);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(teams)
      .values({
        accountId: input.accountId,
        name: input.name,
        description: input.description ?? null,
        allowAutoAssign: input.allowAutoAssign ?? true,
      })
      .onConflictDoNothing()
      .returning();
    // A concurrent insert of the same name loses here instead of failing with a 500.
    if (!row) throw nameTaken();
    await recordEvent(tx, teamCreated, {
      accountId: row.accountId,
      aggregateId: row.id,
      payload: teamEventPayload(row),
      actor,
    });
    return row;
  });
}

export async function updateTeam(
  db: Db,
  accountId: number,
  teamId: number,
  input: TeamInput,
  actor: Actor,
): Promise<TeamRow> {
  await getTeam(db, accountId, teamId);
  if (input.name !== undefined) await assertNameFree(db, accountId, input.name, teamId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(teams)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.allowAutoAssign !== undefined && { allowAutoAssign: input.allowAutoAssign }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)))
      .returning();
    if (!row) throw notFound('Team');
    await recordEvent(tx, teamUpdated, {
      accountId,
      aggregateId: row.id,
      payload: teamEventPayload(row),
      actor,
    });
    return row;
  });
}

export async function deleteTeam(db: Db, accountId: number, teamId: number, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(teams)
      .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)))
      .returning();
    if (!row) throw notFound('Team');
    await recordEvent(tx, teamDeleted, {
      accountId,
      aggregateId: row.id,
      payload: teamEventPayload(row),
      actor,
    });
  });
}

/**
 * Adds, removes or replaces a team's agents; only agents of the account may join. Returns the
 * members after the change and the ones it added (Chatwoot's add answers with those).
 */
export async function changeTeamMembers(
  db: Db,
  input: { accountId: number; teamId: number; userIds: number[]; change: MembershipChange },
  actor: Actor,
): Promise<{ userIds: number[]; addedUserIds: number[] }> {
  const { accountId, teamId, userIds, change } = input;
  await getTeam(db, accountId, teamId);
  if (change !== 'remove') await assertAccountMembers(db, accountId, userIds);
  return db.transaction(async (tx) => {
    const current = await listTeamMemberIds(tx, accountId, teamId);
    const { added, removed } = planMembershipChange(current, userIds, change);
    if (added.length > 0) {
      await tx
        .insert(teamMembers)
        .values(added.map((userId) => ({ accountId, teamId, userId })))
        .onConflictDoNothing();
    }
    if (removed.length > 0) {
      await tx
        .delete(teamMembers)
        .where(
          and(
            eq(teamMembers.accountId, accountId),
            eq(teamMembers.teamId, teamId),
            inArray(teamMembers.userId, removed),
          ),
        );
    }
    const after = await listTeamMemberIds(tx, accountId, teamId);
    if (added.length > 0 || removed.length > 0) {
      await recordEvent(tx, teamMembersChanged, {
        accountId,
        aggregateId: teamId,
        payload: { teamId, addedUserIds: added, removedUserIds: removed, userIds: after },
        actor,
      });
    }
    return { userIds: after, addedUserIds: added };
  });
}
