import { createHmac, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { hashSecret, secretsEqual } from '../../platform/auth/secrets.js';
import { instanceSecret } from '../../platform/auth/instance-secrets.js';
import { accessTokens } from './identity.tables.js';

const TOKEN_NAME = 'platform';
const SECRET_NAME = 'platform-user-tokens';

function derive(secret: string, userId: number, tokenId: number): string {
  return `pat_${createHmac('sha256', secret).update(`platform-user:${userId}:${tokenId}`).digest('base64url')}`;
}

/**
 * The user's access token as the Chatwoot platform API shows it, on every read, like Chatwoot's
 * `access_token`. Tokens are stored hashed, so this one is derived (HMAC of an instance secret,
 * the user and the token row): the same token comes back until it is revoked, and a revoked one is
 * replaced by a new row with a new token.
 */
export async function platformUserToken(db: Db, userId: number): Promise<string> {
  const secret = await instanceSecret(db, SECRET_NAME);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: accessTokens.id, tokenHash: accessTokens.tokenHash })
      .from(accessTokens)
      .where(
        and(
          eq(accessTokens.userId, userId),
          eq(accessTokens.name, TOKEN_NAME),
          isNull(accessTokens.revokedAt),
        ),
      )
      .orderBy(asc(accessTokens.id))
      .limit(1);
    if (current) {
      const token = derive(secret, userId, current.id);
      if (secretsEqual(hashSecret(token), current.tokenHash)) return token;
    }
    // The row id is part of the token, so the row is written first with a throwaway hash.
    const [row] = await tx
      .insert(accessTokens)
      .values({
        userId,
        name: TOKEN_NAME,
        tokenHash: hashSecret(randomBytes(32).toString('hex')),
        tokenPrefix: '',
      })
      .returning({ id: accessTokens.id });
    if (!row) throw new Error('insert returned no access token');
    const token = derive(secret, userId, row.id);
    await tx
      .update(accessTokens)
      .set({ tokenHash: hashSecret(token), tokenPrefix: token.slice(0, 'pat_'.length + 7) })
      .where(eq(accessTokens.id, row.id));
    return token;
  });
}
