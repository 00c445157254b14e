import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashSecret } from '../../platform/auth/secrets.js';
import { accountUsers, apiKeys } from './identity.tables.js';
import { apiSessions } from './sessions.tables.js';
import type { Principal } from './principal.js';

/**
 * Expiring session tokens with a refresh token (CALLR's `Authentication.Session`, sent back as
 * `Authorization: Session <token>`). A token lives one hour; its refresh token can renew the
 * session for 24 hours after it was issued. Each refresh issues a new pair and retires the old one,
 * so a stolen refresh token stops working as soon as its owner refreshes (and the other way round).
 */
export const SESSION_TOKEN_TTL_MS = 60 * 60 * 1000;
export const SESSION_REFRESH_TTL_MS = 24 * 60 * 60 * 1000;

const TOKEN_PREFIX = 'cs_';
const REFRESH_PREFIX = 'csr_';
/** How many characters of a token lists show: enough to tell sessions apart, too few to use. */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 7;
/** session.all shows at most this many live sessions (newest first). */
const LIST_LIMIT = 100;

export interface SessionTokens {
  id: number;
  token: string;
  refreshToken: string;
  validUntil: Date;
  refreshableUntil: Date;
}

export interface SessionView {
  id: number;
  tokenPrefix: string;
  validUntil: Date;
  refreshableUntil: Date;
  createdAt: Date;
}

/** Who may open a session: a user or an account API key (the owners a session row can name). */
export type SessionOwner = { userId: number } | { apiKeyId: number };

export function sessionOwnerOf(principal: Principal): SessionOwner {
  if (principal.kind === 'user') return { userId: principal.userId };
  if (principal.kind === 'api_key') return { apiKeyId: principal.keyId };
  throw new DomainError('FORBIDDEN', 'Only a user or an API key can open a session');
}

function newPair(now: Date) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const refreshToken = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
  return {
    token,
    refreshToken,
    columns: {
      tokenHash: hashSecret(token),
      tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      refreshTokenHash: hashSecret(refreshToken),
      validUntil: new Date(now.getTime() + SESSION_TOKEN_TTL_MS),
      refreshableUntil: new Date(now.getTime() + SESSION_REFRESH_TTL_MS),
    },
  };
}

function ownerCondition(accountId: number, owner: SessionOwner) {
  return and(
    eq(apiSessions.accountId, accountId),
    'userId' in owner ? eq(apiSessions.userId, owner.userId) : eq(apiSessions.apiKeyId, owner.apiKeyId),
  );
}

export async function createSession(
  db: Db,
  input: { accountId: number; owner: SessionOwner },
  now = new Date(),
): Promise<SessionTokens> {
  const pair = newPair(now);
  const [row] = await db
    .insert(apiSessions)
    .values({
      accountId: input.accountId,
      userId: 'userId' in input.owner ? input.owner.userId : null,
      apiKeyId: 'apiKeyId' in input.owner ? input.owner.apiKeyId : null,
      ...pair.columns,
    })
    .returning({ id: apiSessions.id });
  if (!row) throw new Error('insert returned no session');
  return { id: row.id, token: pair.token, refreshToken: pair.refreshToken, ...validity(pair.columns) };
}

function validity(columns: { validUntil: Date; refreshableUntil: Date }) {
  return { validUntil: columns.validUntil, refreshableUntil: columns.refreshableUntil };
}

/**
 * Renews a session from its refresh token: one conditional UPDATE, so of two concurrent refreshes
 * with the same token only one wins. When `accountId` is given the session must belong to it.
 */
export async function refreshSession(
  db: Db,
  refreshToken: string,
  options: { accountId?: number | undefined } = {},
  now = new Date(),
): Promise<SessionTokens> {
  const pair = newPair(now);
  const [row] = await db
    .update(apiSessions)
    .set(pair.columns)
    .where(
      and(
        eq(apiSessions.refreshTokenHash, hashSecret(refreshToken)),
        isNull(apiSessions.revokedAt),
        gt(apiSessions.refreshableUntil, now),
        options.accountId === undefined ? undefined : eq(apiSessions.accountId, options.accountId),
      ),
    )
    .returning({ id: apiSessions.id });
  if (!row) throw notFound('Session (unknown, ended or no longer refreshable refresh token)');
  return { id: row.id, token: pair.token, refreshToken: pair.refreshToken, ...validity(pair.columns) };
}

/** The owner's live sessions in the account (not ended, still refreshable), newest first. */
export async function listSessions(
  db: Db,
  input: { accountId: number; owner: SessionOwner },
  now = new Date(),
): Promise<SessionView[]> {
  return db
    .select({
      id: apiSessions.id,
      tokenPrefix: apiSessions.tokenPrefix,
      validUntil: apiSessions.validUntil,
      refreshableUntil: apiSessions.refreshableUntil,
      createdAt: apiSessions.createdAt,
    })
    .from(apiSessions)
    .where(
      and(
        ownerCondition(input.accountId, input.owner),
        isNull(apiSessions.revokedAt),
        gt(apiSessions.refreshableUntil, now),
      ),
    )
    .orderBy(desc(apiSessions.id))
    .limit(LIST_LIMIT);
}

/** Ends the session a token belongs to (in the account); false when no live session has it. */
export async function endSessionByToken(db: Db, accountId: number, token: string): Promise<boolean> {
  const ended = await db
    .update(apiSessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(apiSessions.tokenHash, hashSecret(token)),
        eq(apiSessions.accountId, accountId),
        isNull(apiSessions.revokedAt),
      ),
    )
    .returning({ id: apiSessions.id });
  return ended.length > 0;
}

/** Ends every live session of the owner in the account; returns how many. */
export async function endSessionsOf(
  db: Db,
  input: { accountId: number; owner: SessionOwner },
): Promise<number> {
  const ended = await db
    .update(apiSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(ownerCondition(input.accountId, input.owner), isNull(apiSessions.revokedAt)))
    .returning({ id: apiSessions.id });
  return ended.length;
}

/**
 * The principal behind a `Session` token, or null when the token is unknown, expired or ended, its
 * API key was revoked, or its user no longer belongs to the session's account. A user's session acts as the user (like a password would: tokenId 0).
 */
export async function resolveSessionToken(
  db: Db,
  token: string,
  now = new Date(),
): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [session] = await db
    .select({
      accountId: apiSessions.accountId,
      userId: apiSessions.userId,
      apiKeyId: apiSessions.apiKeyId,
      keyRole: apiKeys.role,
      keyRevokedAt: apiKeys.revokedAt,
      memberUserId: accountUsers.userId,
    })
    .from(apiSessions)
    .leftJoin(
      accountUsers,
      and(eq(accountUsers.accountId, apiSessions.accountId), eq(accountUsers.userId, apiSessions.userId)),
    )
    .leftJoin(
      apiKeys,
      and(eq(apiKeys.accountId, apiSessions.accountId), eq(apiKeys.id, apiSessions.apiKeyId)),
    )
    .where(
      and(
        eq(apiSessions.tokenHash, hashSecret(token)),
        isNull(apiSessions.revokedAt),
        gt(apiSessions.validUntil, now),
      ),
    );
  if (!session) return null;
  // A user's session ends with their membership of the account it was opened in.
  if (session.userId !== null) {
    return session.memberUserId === null ? null : { kind: 'user', userId: session.userId, tokenId: 0 };
  }
  if (session.apiKeyId === null || session.keyRole === null || session.keyRevokedAt !== null) return null;
  return { kind: 'api_key', accountId: session.accountId, keyId: session.apiKeyId, role: session.keyRole };
}
