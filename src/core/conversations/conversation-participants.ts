import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import { accountUsers, apiKeys, users } from '../identity/identity.tables.js';

/**
 * Finding the people of a conversation by the UUIDs faces like Dixa use, always within one
 * account: a UUID from another account finds nothing.
 */
export interface ContactRef {
  id: number;
  uuid: string;
  name: string;
  email: string | null;
  phoneNumber: string | null;
}

export async function findContactByUuid(db: Db, accountId: number, uuid: string): Promise<ContactRef | null> {
  const [row] = await db
    .select({
      id: contacts.id,
      uuid: contacts.uuid,
      name: contacts.name,
      email: contacts.email,
      phoneNumber: contacts.phoneNumber,
    })
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), eq(contacts.uuid, uuid)));
  return row ?? null;
}

/** An agent or administrator of the account, by the user's UUID. */
export async function findAgentIdByUuid(db: Db, accountId: number, uuid: string): Promise<number | null> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(accountUsers, and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, accountId)))
    .where(eq(users.uuid, uuid));
  return row?.id ?? null;
}

/** The UUIDs of users, by id, in one query. */
export async function loadUserUuids(db: Db, userIds: number[]): Promise<Map<number, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, uuid: users.uuid }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((row) => [row.id, row.uuid]));
}

/** The UUIDs of an account's contacts, by id, in one query. */
export async function loadContactUuids(
  db: Db,
  accountId: number,
  contactIds: number[],
): Promise<Map<number, string>> {
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: contacts.id, uuid: contacts.uuid })
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, ids)));
  return new Map(rows.map((row) => [row.id, row.uuid]));
}

/**
 * The agent who acts for a request when it names none: the token's own user, or for an API key
 * the member who created it (if still in the account). Null when there is no such person.
 */
export async function actingAgentId(db: Db, accountId: number, actor: Actor): Promise<number | null> {
  if (typeof actor.id !== 'number') return null;
  let userId: number | null = null;
  if (actor.type === 'user') userId = actor.id;
  if (actor.type === 'api_key') {
    const [key] = await db
      .select({ userId: apiKeys.createdByUserId })
      .from(apiKeys)
      .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, actor.id)));
    userId = key?.userId ?? null;
  }
  if (userId === null) return null;
  const [member] = await db
    .select({ userId: accountUsers.userId })
    .from(accountUsers)
    .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
  return member ? userId : null;
}
