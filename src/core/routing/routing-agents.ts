import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { accountUsers, users } from '../identity/identity.tables.js';

/** Members of the account by their public id (users.uuid); ids of other accounts' users are absent. */
export async function findAgentIdsByUuid(
  db: Db,
  accountId: number,
  uuids: string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(uuids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, uuid: users.uuid })
    .from(users)
    .innerJoin(accountUsers, and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, accountId)))
    .where(inArray(users.uuid, unique));
  return new Map(rows.map((row) => [row.uuid, row.id]));
}

/** users.uuid for user ids (for faces that show agents by their public id). */
export async function findAgentUuids(db: Db, userIds: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, uuid: users.uuid })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map((row) => [row.id, row.uuid]));
}
