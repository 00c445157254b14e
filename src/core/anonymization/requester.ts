import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { apiKeys, users } from '../identity/identity.tables.js';

/** Who "requested by" names when no person stands behind the token (a key nobody owns). */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The uuid of the person who asked: the token's user, or whoever created the API key. */
export async function requesterUuid(db: Db, accountId: number, actor: Actor): Promise<string> {
  if (actor.type === 'user' && typeof actor.id === 'number') {
    const [user] = await db.select({ uuid: users.uuid }).from(users).where(eq(users.id, actor.id));
    return user?.uuid ?? NIL_UUID;
  }
  if (actor.type === 'api_key' && typeof actor.id === 'number') {
    const [owner] = await db
      .select({ uuid: users.uuid })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.createdByUserId))
      .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, actor.id)));
    return owner?.uuid ?? NIL_UUID;
  }
  return NIL_UUID;
}
