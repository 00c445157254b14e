import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { addMember, removeMember } from '../identity/members.js';
import { accountUsers, users, type Role } from '../identity/identity.tables.js';
import { accountInvitations } from '../identity/invitations.tables.js';
import { createInvitation, normalizeEmail, revokeInvitation } from '../identity/invitations.js';
import { createUser, findUserByEmail } from '../identity/users.js';
import { teamMembers, teams } from '../teams/teams.tables.js';
import { callUserSettings } from './calls.tables.js';
import { callUserInvitations } from './call-user-invitations.tables.js';

export interface NewCallUser {
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  role: Role;
  hasLicense: boolean;
  teamIds: number[];
  language: string;
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);
}

/** The name a new user gets, and an invitation shows: the typed names, else the email's local part. */
function nameOf(person: NewCallUser, email: string): string {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ').trim();
  return name || email.split('@')[0] || email;
}

/**
 * Adds people to the account in one transaction: every team must exist and nobody may already be
 * listed (a member, or a pending invitation, which is listed like one: this creates, it never
 * updates). A new email becomes a user and a member at once, as Modjo creates users. An email that
 * already has a Parley user gets a pending invitation instead: they join only if they accept, and
 * the caller sees the same row either way (see `listCallUsers`), so nothing about them is disclosed.
 * Returns the ids the rows are listed under (user ids and invitation ids share one sequence).
 */
export async function createCallUsers(
  db: Db,
  accountId: number,
  people: NewCallUser[],
  actor: Actor,
): Promise<number[]> {
  const emails = people.map((person) => normalizeEmail(person.email));
  const duplicate = emails.find((email, index) => emails.indexOf(email) !== index);
  if (duplicate) throw invalid('users', `lists ${duplicate} more than once`);
  const teamIds = [...new Set(people.flatMap((person) => person.teamIds))];
  if (teamIds.length > 0) {
    const found = await db
      .select({ id: teams.id })
      .from(teams)
      .where(and(eq(teams.accountId, accountId), inArray(teams.id, teamIds)));
    const known = new Set(found.map((row) => row.id));
    const missing = teamIds.filter((id) => !known.has(id));
    if (missing.length > 0)
      throw invalid('teamIds', `contains teams that do not exist: ${missing.join(', ')}`);
  }
  return db.transaction(async (tx) => {
    const ids: number[] = [];
    for (const [index, person] of people.entries()) {
      const email = emails[index] ?? normalizeEmail(person.email);
      if (await isListed(tx, accountId, email)) {
        throw invalid(
          `users.${index}.email`,
          `${person.email} is already a user; users cannot be updated here`,
        );
      }
      const existing = await findUserByEmail(tx, email);
      ids.push(
        existing
          ? await inviteCallUser(tx, { accountId, email, person }, actor)
          : await enrolNewCallUser(tx, { accountId, email, person }, actor),
      );
    }
    return ids;
  });
}

/** Whether the account already lists this email: as a member, or as a pending invitation. */
async function isListed(tx: Db, accountId: number, email: string): Promise<boolean> {
  const [member] = await tx
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), sql`lower(trim(${users.email})) = ${email}`));
  if (member) return true;
  const [invited] = await tx
    .select({ id: accountInvitations.id })
    .from(accountInvitations)
    .where(
      and(
        eq(accountInvitations.accountId, accountId),
        eq(accountInvitations.email, email),
        eq(accountInvitations.status, 'pending'),
      ),
    );
  return invited !== undefined;
}

interface CallUserTarget {
  accountId: number;
  email: string;
  person: NewCallUser;
}

/** Nobody has this email yet: the user is created (without a password) and joins at once. */
async function enrolNewCallUser(tx: Db, target: CallUserTarget, actor: Actor): Promise<number> {
  const { accountId, email, person } = target;
  const user = await createUser(tx, { name: nameOf(person, email), email });
  await addMember(tx, { accountId, userId: user.id, role: person.role }, actor);
  await applyCallSettings(tx, {
    accountId,
    userId: user.id,
    hasLicense: person.hasLicense,
    language: person.language,
    teamIds: person.teamIds,
  });
  return user.id;
}

/**
 * Someone already has this email: they are invited with what was asked for them, and decide.
 * Their name, id and other accounts stay unknown to the caller.
 */
async function inviteCallUser(tx: Db, target: CallUserTarget, actor: Actor): Promise<number> {
  const { accountId, email, person } = target;
  // The token goes unused: the invitee has a user and accepts signed in (GET /api/v1/invitations).
  const { invitation } = await createInvitation(
    tx,
    { accountId, email, role: person.role, name: nameOf(person, email) },
    actor,
  );
  await tx.insert(callUserInvitations).values({
    accountId,
    invitationId: invitation.id,
    hasLicense: person.hasLicense,
    language: person.language,
    teamIds: [...new Set(person.teamIds)].sort((x, y) => x - y),
  });
  return invitation.id;
}

export interface CallSettings {
  accountId: number;
  userId: number;
  hasLicense: boolean;
  language: string | null;
  teamIds: number[];
}

/** A member's licence, language and teams; teams deleted meanwhile are skipped. */
export async function applyCallSettings(tx: Db, settings: CallSettings): Promise<void> {
  const { accountId, userId, hasLicense, language } = settings;
  await tx
    .insert(callUserSettings)
    .values({ accountId, userId, hasLicense, language })
    .onConflictDoUpdate({
      target: [callUserSettings.accountId, callUserSettings.userId],
      set: { hasLicense, language, updatedAt: sql`now()` },
    });
  if (settings.teamIds.length === 0) return;
  const existing = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.accountId, accountId), inArray(teams.id, settings.teamIds)));
  if (existing.length === 0) return;
  await tx
    .insert(teamMembers)
    .values(existing.map((team) => ({ accountId, teamId: team.id, userId })))
    .onConflictDoNothing();
}

/**
 * Removes members from the account (their Parley user stays, as it may belong to other accounts)
 * and withdraws pending invitations listed among them, so both kinds of row leave alike.
 */
export async function deleteCallUsers(
  db: Db,
  accountId: number,
  userIds: number[],
  actor: Actor,
): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const found = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, unique)));
  const invited = await db
    .select({ id: accountInvitations.id })
    .from(accountInvitations)
    .where(
      and(
        eq(accountInvitations.accountId, accountId),
        inArray(accountInvitations.id, unique),
        eq(accountInvitations.status, 'pending'),
      ),
    );
  const members = new Set(found.map((row) => row.userId));
  const invitations = new Set(invited.map((row) => row.id));
  const missing = unique.filter((id) => !members.has(id) && !invitations.has(id));
  if (missing.length > 0) throw invalid('userIds', `contains users that do not exist: ${missing.join(', ')}`);
  await db.transaction(async (tx) => {
    for (const userId of unique) {
      if (invitations.has(userId)) {
        await revokeInvitation(tx, accountId, userId, actor);
        continue;
      }
      await removeMember(tx, accountId, userId, actor);
      await tx
        .delete(teamMembers)
        .where(and(eq(teamMembers.accountId, accountId), eq(teamMembers.userId, userId)));
      await tx
        .delete(callUserSettings)
        .where(and(eq(callUserSettings.accountId, accountId), eq(callUserSettings.userId, userId)));
    }
  });
}
