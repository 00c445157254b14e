import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { issueSecret } from '../../platform/auth/secrets.js';
import { accessTokens } from './identity.tables.js';

export interface AccessTokenView {
  id: number;
  userId: number;
  name: string;
  tokenPrefix: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const viewColumns = {
  id: accessTokens.id,
  userId: accessTokens.userId,
  name: accessTokens.name,
  tokenPrefix: accessTokens.tokenPrefix,
  lastUsedAt: accessTokens.lastUsedAt,
  revokedAt: accessTokens.revokedAt,
  createdAt: accessTokens.createdAt,
};

/** Issues a personal token for a user; the token is returned once and only its hash is kept. */
export async function createAccessToken(
  db: Db,
  /** `createdAt`: the app's clock, where a token's age is judged by it (web sessions); else the database's. */
  input: { userId: number; name: string; createdAt?: Date | undefined },
): Promise<{ accessToken: AccessTokenView; token: string }> {
  const secret = issueSecret('pat');
  const [row] = await db
    .insert(accessTokens)
    .values({
      userId: input.userId,
      name: input.name,
      tokenHash: secret.hash,
      tokenPrefix: secret.prefix,
      ...(input.createdAt && { createdAt: input.createdAt }),
    })
    .returning(viewColumns);
  if (!row) throw new Error('insert returned no token');
  return { accessToken: row, token: secret.token };
}

export async function listAccessTokens(db: Db, userId: number): Promise<AccessTokenView[]> {
  return db
    .select(viewColumns)
    .from(accessTokens)
    .where(eq(accessTokens.userId, userId))
    .orderBy(desc(accessTokens.id))
    .limit(500);
}

export async function revokeAccessToken(db: Db, userId: number, id: number): Promise<AccessTokenView> {
  await db
    .update(accessTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(accessTokens.userId, userId), eq(accessTokens.id, id), isNull(accessTokens.revokedAt)));
  const [row] = await db
    .select(viewColumns)
    .from(accessTokens)
    .where(and(eq(accessTokens.userId, userId), eq(accessTokens.id, id)));
  if (!row) throw notFound('Access token');
  return row;
}
