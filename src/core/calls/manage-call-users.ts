import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { addMember, removeMember } from '../identity/members.js';
import { accountUsers, type Role } from '../identity/identity.tables.js';
import { createUser, findUserByEmail } from '../identity/users.js';
import { teamMembers, teams } from '../teams/teams.tables.js';
import { callUserSettings } from './calls.tables.js';

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

/**
 * Adds people to the account in one transaction: every team must exist and nobody may already be
 * a member (this creates, it never updates). A person who already has a Parley user elsewhere
 * joins with that user.
 */
export async function createCallUsers(
  db: Db,
  accountId: number,
  people: NewCallUser[],
  actor: Actor,
): Promise<number[]> {
  const emails = people.map((person) => person.email.trim().toLowerCase());
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
      const existing = await findUserByEmail(tx, person.email);
      if (existing) {
        const [member] = await tx
          .select({ userId: accountUsers.userId })
          .from(accountUsers)
          .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, existing.id)));
        if (member)
          throw invalid(
            `users.${index}.email`,
            `${person.email} is already a user; users cannot be updated here`,
          );
      }
      const name = [person.firstName, person.lastName].filter(Boolean).join(' ').trim();
      const user =
        existing ??
        (await createUser(tx, {
          name: name || person.email.split('@')[0] || person.email,
          email: person.email,
        }));
      await addMember(tx, { accountId, userId: user.id, role: person.role }, actor);
      await tx
        .insert(callUserSettings)
        .values({ accountId, userId: user.id, hasLicense: person.hasLicense, language: person.language });
      if (person.teamIds.length > 0) {
        await tx
          .insert(teamMembers)
          .values(person.teamIds.map((teamId) => ({ accountId, teamId, userId: user.id })))
          .onConflictDoNothing();
      }
      ids.push(user.id);
    }
    return ids;
  });
}

/** Removes members from the account (their Parley user stays, as it may belong to other accounts). */
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
  const known = new Set(found.map((row) => row.userId));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length > 0) throw invalid('userIds', `contains users that do not exist: ${missing.join(', ')}`);
  await db.transaction(async (tx) => {
    for (const userId of unique) {
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
