import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.js';
import { accountUsers, users, type Role } from '../identity/identity.tables.js';
import { teamMembers, teams } from '../teams/teams.tables.js';
import { accountInvitations } from '../identity/invitations.tables.js';
import { callUserSettings } from './calls.tables.js';
import { callUserInvitations } from './call-user-invitations.tables.js';

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

/**
 * The ids the directory lists: the members, and the pending invitations (expired or not, as a
 * member stays listed until removed), which stand for people invited instead of enrolled. Both
 * come from the users' id sequence, so one ordering by id interleaves them without clashes.
 */
function directoryIds(db: Db, accountId: number, ids: number[] | undefined) {
  const members = db
    .select({ id: sql<number>`${accountUsers.userId}`.as('id') })
    .from(accountUsers)
    .where(
      and(
        eq(accountUsers.accountId, accountId),
        ids === undefined ? undefined : inArray(accountUsers.userId, ids),
      ),
    );
  const invited = db
    .select({ id: sql<number>`${accountInvitations.id}`.as('id') })
    .from(accountInvitations)
    .where(
      and(
        eq(accountInvitations.accountId, accountId),
        eq(accountInvitations.status, 'pending'),
        ids === undefined ? undefined : inArray(accountInvitations.id, ids),
      ),
    );
  return unionAll(members, invited).as('directory');
}

export async function listCallUsers(
  db: Db,
  accountId: number,
  request: PageRequest,
): Promise<{ total: number; items: CallDirectoryUser[] }> {
  const directory = directoryIds(db, accountId, request.userIds);
  const [counted] = await db.select({ total: sql<number>`count(*)::int` }).from(directory);
  const page = await db
    .select({ id: sql<number>`${directory.id}::bigint`.mapWith(Number) })
    .from(directory)
    .orderBy(asc(directory.id))
    .limit(request.perPage)
    .offset((request.page - 1) * request.perPage);
  const ids = page.map((row) => row.id);
  const listed = [...(await loadMembers(db, accountId, ids)), ...(await loadInvited(db, accountId, ids))];
  const byId = new Map(listed.map((user) => [user.id, user]));
  const items = ids.flatMap((id) => byId.get(id) ?? []);
  return { total: counted?.total ?? 0, items };
}

async function loadMembers(db: Db, accountId: number, ids: number[]): Promise<CallDirectoryUser[]> {
  if (ids.length === 0) return [];
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
    .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, ids)));
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
  return rows.map((row) => ({
    ...row,
    hasLicense: row.hasLicense ?? false,
    teamIds: teamRows.filter((team) => team.userId === row.id).map((team) => team.teamId),
  }));
}

/**
 * Pending invitations shown as the users they stand for, from what the inviter asked only: the
 * typed email and name, the role, and the licence, language and teams a call tool asked for.
 */
async function loadInvited(db: Db, accountId: number, ids: number[]): Promise<CallDirectoryUser[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: accountInvitations.id,
      email: accountInvitations.email,
      name: accountInvitations.name,
      role: accountInvitations.role,
      hasLicense: callUserInvitations.hasLicense,
      language: callUserInvitations.language,
      teamIds: callUserInvitations.teamIds,
    })
    .from(accountInvitations)
    .leftJoin(
      callUserInvitations,
      and(
        eq(callUserInvitations.accountId, accountInvitations.accountId),
        eq(callUserInvitations.invitationId, accountInvitations.id),
      ),
    )
    .where(
      and(
        eq(accountInvitations.accountId, accountId),
        eq(accountInvitations.status, 'pending'),
        inArray(accountInvitations.id, ids),
      ),
    );
  const wanted = [...new Set(rows.flatMap((row) => row.teamIds ?? []))];
  const existing =
    wanted.length === 0
      ? new Set<number>()
      : new Set(
          (
            await db
              .select({ id: teams.id })
              .from(teams)
              .where(and(eq(teams.accountId, accountId), inArray(teams.id, wanted)))
          ).map((team) => team.id),
        );
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name ?? row.email.split('@')[0] ?? row.email,
    role: row.role,
    hasLicense: row.hasLicense ?? false,
    language: row.language,
    teamIds: (row.teamIds ?? []).filter((id) => existing.has(id)),
  }));
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
