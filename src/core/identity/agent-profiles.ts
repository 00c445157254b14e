import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accountUsers, users, type Availability, type Role } from './identity.tables.js';
import {
  toAgentPage,
  userIdOrder,
  userIdRange,
  type AgentPage,
  type AgentPageRequest,
} from './agent-pages.js';

/** An agent with the profile fields faces such as Dixa show (first, middle and last names, phones). */
export interface AgentProfile {
  accountId: number;
  userId: number;
  uuid: string;
  email: string;
  name: string;
  displayName: string | null;
  firstName: string | null;
  middleNames: string[];
  lastName: string | null;
  phoneNumber: string | null;
  additionalEmails: string[];
  additionalPhoneNumbers: string[];
  avatarUrl: string | null;
  role: Role;
  availability: Availability;
  /** When they joined the account. */
  createdAt: Date;
}

const profileColumns = {
  accountId: accountUsers.accountId,
  userId: accountUsers.userId,
  uuid: users.uuid,
  email: users.email,
  name: users.name,
  displayName: users.displayName,
  firstName: users.firstName,
  middleNames: users.middleNames,
  lastName: users.lastName,
  phoneNumber: users.phoneNumber,
  additionalEmails: users.additionalEmails,
  additionalPhoneNumbers: users.additionalPhoneNumbers,
  avatarUrl: users.avatarUrl,
  role: accountUsers.role,
  availability: accountUsers.availability,
  createdAt: accountUsers.createdAt,
};

function selectProfiles(db: Db, where: SQL | undefined) {
  return db
    .select(profileColumns)
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(where);
}

/** Either of an agent's emails, compared case-insensitively. */
function hasEmail(email: string): SQL {
  const wanted = email.trim().toLowerCase();
  return sql`(lower(${users.email}) = ${wanted} OR EXISTS (SELECT 1 FROM unnest(${users.additionalEmails}) AS other(email) WHERE lower(other.email) = ${wanted}))`;
}

function hasPhoneNumber(phone: string): SQL {
  const wanted = phone.trim();
  return sql`(${users.phoneNumber} = ${wanted} OR ${wanted} = ANY(${users.additionalPhoneNumbers}))`;
}

export interface AgentProfileFilter {
  email?: string | undefined;
  phoneNumber?: string | undefined;
}

/** The account's agents by user id, optionally those with an email or a phone number. */
export async function listAgentProfiles(
  db: Db,
  options: AgentProfileFilter & AgentPageRequest & { accountId: number },
): Promise<AgentPage<AgentProfile>> {
  const rows = await selectProfiles(
    db,
    and(
      eq(accountUsers.accountId, options.accountId),
      options.email === undefined ? undefined : hasEmail(options.email),
      options.phoneNumber === undefined ? undefined : hasPhoneNumber(options.phoneNumber),
      userIdRange(accountUsers.userId, options),
    ),
  )
    .orderBy(userIdOrder(accountUsers.userId, options))
    .limit(options.limit + 1);
  return toAgentPage(rows, options, (row) => row.userId);
}

/** The given users as agents of the account, in user id order; users outside it are skipped. */
export async function listAgentProfilesByUserIds(
  db: Db,
  accountId: number,
  userIds: number[],
): Promise<AgentProfile[]> {
  if (userIds.length === 0) return [];
  return selectProfiles(
    db,
    and(eq(accountUsers.accountId, accountId), inArray(accountUsers.userId, userIds)),
  ).orderBy(accountUsers.userId);
}

export async function findAgentProfileByUuid(
  db: Db,
  accountId: number,
  uuid: string,
): Promise<AgentProfile | null> {
  const [row] = await selectProfiles(db, and(eq(accountUsers.accountId, accountId), eq(users.uuid, uuid)));
  return row ?? null;
}

export async function getAgentProfileByUuid(db: Db, accountId: number, uuid: string): Promise<AgentProfile> {
  const profile = await findAgentProfileByUuid(db, accountId, uuid);
  if (!profile) throw notFound('Agent');
  return profile;
}

/**
 * The user ids of the account's agents with these UUIDs, in the order asked. An id that is not
 * an agent of the account (unknown, another organization's) is a 404 naming it.
 */
export async function resolveAgentUserIds(db: Db, accountId: number, uuids: string[]): Promise<number[]> {
  const unique = [...new Set(uuids)];
  if (unique.length === 0) return [];
  const rows = await db
    .select({ uuid: users.uuid, userId: accountUsers.userId })
    .from(accountUsers)
    .innerJoin(users, eq(users.id, accountUsers.userId))
    .where(and(eq(accountUsers.accountId, accountId), inArray(users.uuid, unique)));
  const byUuid = new Map(rows.map((row) => [row.uuid, row.userId]));
  const missing = unique.filter((uuid) => !byUuid.has(uuid));
  if (missing.length > 0) throw notFound(`Agent ${missing.join(', ')}`);
  return unique.map((uuid) => byUuid.get(uuid) ?? 0);
}
