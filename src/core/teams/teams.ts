import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { teamMembers, teams, type TeamRow } from './teams.tables.js';

export type { TeamRow } from './teams.tables.js';

export async function findTeam(db: Db, accountId: number, teamId: number): Promise<TeamRow | null> {
  const [row] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.id, teamId)));
  return row ?? null;
}

export async function getTeam(db: Db, accountId: number, teamId: number): Promise<TeamRow> {
  const row = await findTeam(db, accountId, teamId);
  if (!row) throw notFound('Team');
  return row;
}

export async function listTeams(db: Db, accountId: number): Promise<TeamRow[]> {
  return db.select().from(teams).where(eq(teams.accountId, accountId)).orderBy(asc(teams.id));
}

export async function listTeamMemberIds(db: Db, accountId: number, teamId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.accountId, accountId), eq(teamMembers.teamId, teamId)))
    .orderBy(asc(teamMembers.userId));
  return rows.map((row) => row.userId);
}

/** Which of the given teams a user belongs to (for `is_member`), in one query. */
export async function listTeamIdsOfUser(
  db: Db,
  accountId: number,
  userId: number,
  teamIds?: number[],
): Promise<Set<number>> {
  if (teamIds && teamIds.length === 0) return new Set();
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(
      and(
        eq(teamMembers.accountId, accountId),
        eq(teamMembers.userId, userId),
        teamIds ? inArray(teamMembers.teamId, teamIds) : undefined,
      ),
    );
  return new Set(rows.map((row) => row.teamId));
}

export async function isTeamMember(
  db: Db,
  accountId: number,
  teamId: number,
  userId: number,
): Promise<boolean> {
  return (await listTeamIdsOfUser(db, accountId, userId, [teamId])).has(teamId);
}

/** The team faces that speak UUIDs (Dixa) address; another account's is not found. */
export async function getTeamByUuid(db: Db, accountId: number, uuid: string): Promise<TeamRow> {
  const [row] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.accountId, accountId), eq(teams.uuid, uuid)));
  if (!row) throw notFound('Team');
  return row;
}

/** The account's teams a user belongs to, by team id. */
export async function listTeamsOfUser(db: Db, accountId: number, userId: number): Promise<TeamRow[]> {
  const rows = await db
    .select({ team: teams })
    .from(teamMembers)
    .innerJoin(teams, and(eq(teams.id, teamMembers.teamId), eq(teams.accountId, teamMembers.accountId)))
    .where(and(eq(teamMembers.accountId, accountId), eq(teamMembers.userId, userId)))
    .orderBy(asc(teams.id));
  return rows.map((row) => row.team);
}
