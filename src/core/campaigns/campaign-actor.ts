import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { apiKeys, users } from '../identity/identity.tables.js';
import type { AccountAccess } from '../identity/principal.js';

/**
 * The login Diabolocom shows in createdBy/lastUpdatedBy: the user's email for a user token, the
 * key's name for an API key, "platform" or "bot:<id>" otherwise.
 */
export async function actorName(db: Db, access: AccountAccess): Promise<string> {
  const principal = access.principal;
  switch (principal.kind) {
    case 'user': {
      const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, principal.userId));
      return row?.email ?? `user:${principal.userId}`;
    }
    case 'api_key': {
      const [row] = await db
        .select({ name: apiKeys.name })
        .from(apiKeys)
        .where(and(eq(apiKeys.accountId, access.accountId), eq(apiKeys.id, principal.keyId)));
      return row?.name ?? `api-key:${principal.keyId}`;
    }
    case 'platform':
      return 'platform';
    case 'agent_bot':
      return `bot:${principal.botId}`;
  }
}
