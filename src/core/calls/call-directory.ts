import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers, users, type Role } from '../identity/identity.tables.js';
import { teamMembers, teams } from '../teams/teams.tables.js';
import { callUserSettings } from './calls.tables.js';

/**
 * The people and teams call tools list: the account's members with their recording licence and
 * language, and the account's teams. Page-numbered, as call-intelligence APIs page them.
 */
export interface CallDirectoryUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  hasLicense: boolean;
  language: string | null;
  teamIds: number[];
}

export interface PageRequest {
  page: number;
  perPage: number;
  /** Only these users (e.g. the ones just created). */
  userIds?: number[] | undefined;
}

function membersOf(accountId: number, userIds: number[] | undefined) {
  return and(
    eq(accountUsers.accountId, accountId),
    userIds === undefined ? undefined : inArray(accountUsers.userId, userIds),
  );
}

export async function listCallUsers(
  db: Db,
  accountId: number,
  request: PageRequest,
): Promise<{ total: number; items: CallDirectoryUser[] }> {
  const [counted] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(accountUsers)
    .where(membersOf(accountId, request.userIds));
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: accountUsers.role,
      hasLicense: callUserSettings.hasLicense,
      language: callUserSettings.language,
    })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .leftJoin(
      callUserSettings,
      and(
        eq(callUserSettings.accountId, accountUsers.accountId),
        eq(callUserSettings.userId, accountUsers.userId),
      ),
    )
    .where(membersOf(accountId, request.userIds))
    .orderBy(asc(accountUsers.userId))
    .limit(request.perPage)
    .offset((request.page - 1) * request.perPage);
  const teamRows =
    rows.length === 0
      ? []
      : await db
          .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
          .from(teamMembers)
          .where(
            and(
              eq(teamMembers.accountId, accountId),
              inArray(
                teamMembers.userId,
                rows.map((row) => row.id),
              ),
            ),
          )
          .orderBy(asc(teamMembers.teamId));
  const items = rows.map((row) => ({
    ...row,
    hasLicense: row.hasLicense ?? false,
    teamIds: teamRows.filter((team) => team.userId === row.id).map((team) => team.teamId),
  }));
  return { total: counted?.total ?? 0, items };
}

export async function listCallTeams(
  db: Db,
  accountId: number,
  request: PageRequest,
): Promise<{ total: number; items: { id: number; name: string; description: string | null }[] }> {
  const [counted] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(teams)
    .where(eq(teams.accountId, accountId));
  const items = await db
    .select({ id: teams.id, name: teams.name, description: teams.description })
    .from(teams)
    .where(eq(teams.accountId, accountId))
    .orderBy(asc(teams.id))
    .limit(request.perPage)
    .offset((request.page - 1) * request.perPage);
  return { total: counted?.total ?? 0, items };
}
