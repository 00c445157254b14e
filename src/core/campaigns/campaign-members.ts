import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { accountUsers } from '../identity/identity.tables.js';
import { teams } from '../teams/teams.tables.js';
import { campaignGroups, campaignUsers, dialerCalendars, wrapupFolders } from './campaigns.tables.js';

export interface CampaignMembers {
  userIds: number[];
  unassignedUserIds: number[];
  groupIds: number[];
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `Invalid ${path}: ${message}`, [{ path, message }]);
}

function assertAllFound(path: string, asked: number[], found: number[], what: string): void {
  const known = new Set(found);
  const missing = [...new Set(asked)].filter((id) => !known.has(id));
  if (missing.length > 0) throw invalid(path, `${missing.join(', ')} not ${what} of this account`);
}

/** Agents must be members of the account (any role: administrators take calls too). */
export async function assertAccountMembers(db: Db, accountId: number, userIds: number[]): Promise<void> {
  if (userIds.length === 0) return;
  const rows = await db
    .select({ id: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, userIds)));
  assertAllFound(
    'userIds',
    userIds,
    rows.map((row) => row.id),
    'members',
  );
}

export async function assertAccountTeams(db: Db, accountId: number, teamIds: number[]): Promise<void> {
  if (teamIds.length === 0) return;
  const rows = await db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), inArray(teams.id, teamIds)));
  assertAllFound(
    'groupIds',
    teamIds,
    rows.map((row) => row.id),
    'groups',
  );
}

export async function assertAccountCalendar(db: Db, accountId: number, calendarId: number): Promise<void> {
  const [row] = await db
    .select({ id: dialerCalendars.id })
    .from(dialerCalendars)
    .where(and(eq(dialerCalendars.accountId, accountId), eq(dialerCalendars.id, calendarId)));
  if (!row) throw invalid('calendarId', `calendar ${calendarId} does not exist in this account`);
}

export async function assertAccountWrapupFolder(db: Db, accountId: number, folderId: number): Promise<void> {
  const [row] = await db
    .select({ id: wrapupFolders.id })
    .from(wrapupFolders)
    .where(and(eq(wrapupFolders.accountId, accountId), eq(wrapupFolders.id, folderId)));
  if (!row) throw invalid('wrapupFolderId', `wrap-up folder ${folderId} does not exist in this account`);
}

/**
 * Makes `userIds` the campaign's assigned agents: listed agents are (re)assigned; agents no longer
 * listed are removed, except those who unassigned themselves (kept for `unassignedUserIds`).
 */
export async function replaceCampaignUsers(tx: Db, campaignId: number, userIds: number[]): Promise<void> {
  const unique = [...new Set(userIds)];
  await tx
    .delete(campaignUsers)
    .where(
      and(
        eq(campaignUsers.campaignId, campaignId),
        isNull(campaignUsers.unassignedAt),
        unique.length > 0 ? notInArray(campaignUsers.userId, unique) : undefined,
      ),
    );
  if (unique.length === 0) return;
  await tx
    .insert(campaignUsers)
    .values(unique.map((userId) => ({ campaignId, userId })))
    .onConflictDoUpdate({
      target: [campaignUsers.campaignId, campaignUsers.userId],
      set: { unassignedAt: sql`NULL` },
    });
}

export async function replaceCampaignGroups(tx: Db, campaignId: number, teamIds: number[]): Promise<void> {
  const unique = [...new Set(teamIds)];
  await tx
    .delete(campaignGroups)
    .where(
      and(
        eq(campaignGroups.campaignId, campaignId),
        unique.length > 0 ? notInArray(campaignGroups.teamId, unique) : undefined,
      ),
    );
  if (unique.length === 0) return;
  await tx
    .insert(campaignGroups)
    .values(unique.map((teamId) => ({ campaignId, teamId })))
    .onConflictDoNothing();
}

/** The agents and groups of several campaigns: two queries for a page, whatever its size. */
export async function loadCampaignMembers(
  db: Db,
  campaignIds: number[],
): Promise<Map<number, CampaignMembers>> {
  const members = new Map<number, CampaignMembers>(
    campaignIds.map((id) => [id, { userIds: [], unassignedUserIds: [], groupIds: [] }]),
  );
  if (campaignIds.length === 0) return members;
  const userRows = await db
    .select({
      campaignId: campaignUsers.campaignId,
      userId: campaignUsers.userId,
      unassignedAt: campaignUsers.unassignedAt,
    })
    .from(campaignUsers)
    .where(inArray(campaignUsers.campaignId, campaignIds))
    .orderBy(campaignUsers.userId);
  const groupRows = await db
    .select({ campaignId: campaignGroups.campaignId, teamId: campaignGroups.teamId })
    .from(campaignGroups)
    .where(inArray(campaignGroups.campaignId, campaignIds))
    .orderBy(campaignGroups.teamId);
  for (const row of userRows) {
    const entry = members.get(row.campaignId);
    if (!entry) continue;
    (row.unassignedAt ? entry.unassignedUserIds : entry.userIds).push(row.userId);
  }
  for (const row of groupRows) members.get(row.campaignId)?.groupIds.push(row.teamId);
  return members;
}
