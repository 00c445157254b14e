import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { hashSecret } from '../../platform/auth/secrets.js';
import { ssoLoginTokens } from './sso.tables.js';
import { users } from './identity.tables.js';
import { createAccessToken } from './access-tokens.js';
import { getUser } from './users.js';

/** How long a sign-in link works; Chatwoot's SSO tokens last minutes, not hours. */
export const SSO_TOKEN_TTL_SECONDS = 10 * 60;

/** Issues a single-use sign-in token for a user; only its hash is stored. */
export async function issueSsoLoginToken(db: Db, userId: number): Promise<{ token: string; email: string }> {
  const user = await getUser(db, userId);
  const token = randomBytes(32).toString('base64url');
  await db.insert(ssoLoginTokens).values({
    userId,
    tokenHash: hashSecret(token),
    expiresAt: sql`now() + make_interval(secs => ${SSO_TOKEN_TTL_SECONDS})`,
  });
  return { token, email: user.email };
}

/**
 * Trades a sign-in token (and the email it was issued for) for a personal access token. The token
 * is consumed in the same statement that checks it, so two concurrent uses cannot both succeed.
 */
export async function redeemSsoLoginToken(
  db: Db,
  input: { email: string; token: string },
): Promise<{ token: string; userId: number }> {
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(ssoLoginTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(ssoLoginTokens.tokenHash, hashSecret(input.token)),
          isNull(ssoLoginTokens.usedAt),
          gt(ssoLoginTokens.expiresAt, sql`now()`),
          eq(
            ssoLoginTokens.userId,
            sql`(SELECT ${users.id} FROM ${users} WHERE lower(${users.email}) = lower(${input.email.trim()}))`,
          ),
        ),
      )
      .returning({ userId: ssoLoginTokens.userId });
    if (!used) throw new DomainError('UNAUTHENTICATED', 'Invalid or expired sign-in link');
    const { token } = await createAccessToken(tx, { userId: used.userId, name: 'sso login' });
    return { token, userId: used.userId };
  });
}
