import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql, type Placeholder } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { builtOnce } from '../../platform/db/built-once.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { hashSecret, secretsEqual } from '../../platform/auth/secrets.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { accessTokens, accounts, accountUsers, apiKeys } from './identity.tables.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { actorOf, type AccountAccess, type Principal } from './principal.js';
import { findUserByEmail } from './users.js';
import { createAccessToken } from './access-tokens.js';
import { isExpiredWebSession, tokenAgeColumns, type TokenPolicy } from './web-sessions.js';
import type { ActiveApiKey, ApiKeyCache } from './api-key-cache.js';

// last_used_at is written at most once a minute per token, so busy tokens do not write on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

function isStale(lastUsedAt: Date | null, now = Date.now()): boolean {
  return !lastUsedAt || now - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS;
}

/** Every API-key request asks this, so it is built once (see `builtOnce`). */
const activeApiKeyByHash = builtOnce('active_api_key_by_hash', (db, value: (name: 'hash') => Placeholder) =>
  db
    .select({
      accountId: apiKeys.accountId,
      id: apiKeys.id,
      role: apiKeys.role,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, value('hash')), isNull(apiKeys.revokedAt))),
);

/** Every user-token request asks this, so it is built once (see `builtOnce`). */
const activeAccessTokenByHash = builtOnce(
  'active_access_token_by_hash',
  (db, value: (name: 'hash') => Placeholder) =>
    db
      .select({ id: accessTokens.id, userId: accessTokens.userId, ...tokenAgeColumns })
      .from(accessTokens)
      .where(and(eq(accessTokens.tokenHash, value('hash')), isNull(accessTokens.revokedAt))),
);

/**
 * Resolves a presented secret to its principal, or null. Lookups are by SHA-256 of the token,
 * so response time does not depend on how much of a guess matches a stored token. With a
 * `policy`, a web session past its idle or absolute limit resolves to null too (see web-sessions.ts).
 */
export async function resolveToken(
  db: Db,
  token: string,
  platformToken: string | undefined,
  policy?: TokenPolicy,
  /** Where this node keeps the active keys it has looked up (see api-key-cache.ts). */
  apiKeyCache?: ApiKeyCache,
): Promise<Principal | null> {
  if (platformToken && secretsEqual(token, platformToken)) return { kind: 'platform' };
  const hash = hashSecret(token);
  if (token.startsWith('pk_')) {
    const load = async (): Promise<ActiveApiKey | undefined> => (await activeApiKeyByHash(db, { hash }))[0];
    const key = apiKeyCache ? await apiKeyCache.resolve(hash, load) : await load();
    if (!key) return null;
    if (isStale(key.lastUsedAt)) {
      const [touched] = await db
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(and(eq(apiKeys.accountId, key.accountId), eq(apiKeys.id, key.id)))
        .returning({ lastUsedAt: apiKeys.lastUsedAt });
      if (touched?.lastUsedAt) apiKeyCache?.touched(hash, touched.lastUsedAt);
    }
    return { kind: 'api_key', accountId: key.accountId, keyId: key.id, role: key.role };
  }
  if (token.startsWith('abt_')) {
    const [bot] = await db
      .select({ id: agentBots.id, accountId: agentBots.accountId })
      .from(agentBots)
      .where(eq(agentBots.tokenHash, hash));
    return bot ? { kind: 'agent_bot', botId: bot.id, accountId: bot.accountId } : null;
  }
  const [found] = await activeAccessTokenByHash(db, { hash });
  if (!found) return null;
  if (policy && isExpiredWebSession(found, policy)) return null;
  // On the app's clock when a policy is given, the one its expiry is judged by.
  const now = policy?.now();
  if (isStale(found.lastUsedAt, now?.getTime())) {
    await db
      .update(accessTokens)
      .set({ lastUsedAt: now ?? sql`now()` })
      .where(eq(accessTokens.id, found.id));
  }
  return { kind: 'user', userId: found.userId, tokenId: found.id };
}

/**
 * Admits a principal to an account. `accountId` comes from the path where a face names the
 * account; faces whose paths do not (Dixa, Modjo, ...) pass undefined and the key's account is used.
 * Another tenant's account answers NOT_FOUND so its existence does not leak.
 */
export async function accessAccount(
  db: Db,
  principal: Principal,
  accountId: number | undefined,
): Promise<AccountAccess> {
  const actor = actorOf(principal);
  if (principal.kind === 'api_key') {
    if (accountId !== undefined && accountId !== principal.accountId) throw notFound('Account');
    return { accountId: principal.accountId, role: principal.role, principal, actor };
  }
  if (principal.kind === 'agent_bot') return accessAsAgentBot(db, principal, accountId);
  if (principal.kind === 'platform') {
    if (accountId === undefined) {
      throw new DomainError('BAD_REQUEST', 'The platform token must name an account in the path');
    }
    const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
    if (!account) throw notFound('Account');
    return { accountId, role: 'administrator', principal, actor };
  }
  const memberships = await db
    .select({ accountId: accountUsers.accountId, role: accountUsers.role })
    .from(accountUsers)
    .where(
      and(
        eq(accountUsers.userId, principal.userId),
        accountId === undefined ? undefined : eq(accountUsers.accountId, accountId),
      ),
    )
    .limit(2);
  const [membership] = memberships;
  if (!membership) {
    if (accountId !== undefined) throw notFound('Account');
    throw new DomainError('FORBIDDEN', 'This user belongs to no account');
  }
  if (memberships.length > 1) {
    throw new DomainError(
      'BAD_REQUEST',
      'This user token belongs to several accounts and this API does not name one; use an account API key',
    );
  }
  return { accountId: membership.accountId, role: membership.role, principal, actor };
}

/**
 * A bot acts in its own account, or, when the platform made it without one, in the accounts
 * whose inboxes it is bound to. It acts with the agent role.
 */
async function accessAsAgentBot(
  db: Db,
  principal: Extract<Principal, { kind: 'agent_bot' }>,
  accountId: number | undefined,
): Promise<AccountAccess> {
  const actor = actorOf(principal);
  if (principal.accountId !== null) {
    if (accountId !== undefined && accountId !== principal.accountId) throw notFound('Account');
    return { accountId: principal.accountId, role: 'agent', principal, actor };
  }
  const bound = await db
    .selectDistinct({ accountId: inboxes.accountId })
    .from(inboxes)
    .where(
      and(
        eq(inboxes.agentBotId, principal.botId),
        accountId === undefined ? undefined : eq(inboxes.accountId, accountId),
      ),
    )
    .limit(2);
  const [first] = bound;
  if (!first) throw notFound('Account');
  if (bound.length > 1) {
    throw new DomainError(
      'BAD_REQUEST',
      'This agent bot serves several accounts and this API does not name one',
    );
  }
  return { accountId: first.accountId, role: 'agent', principal, actor };
}

let dummyPasswordHash: Promise<string> | undefined;

/**
 * A hash no password is known for, made once per process with the current parameters, so checking
 * against it costs what checking a real user's password costs.
 */
function getDummyPasswordHash(): Promise<string> {
  dummyPasswordHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummyPasswordHash;
}

/**
 * Email and password to a fresh personal token; one vague message for every failure. An unknown
 * email, or a user without a password, still pays for a password check (against a dummy hash):
 * skipping it made those answers measurably faster, telling anyone which emails have a user.
 */
export async function login(
  db: Db,
  input: { email: string; password: string },
  /** The token's name in the user's token list ('login' for API clients). */
  tokenName = 'login',
  /** When the token is issued, on the clock its expiry is judged by (web sessions). */
  issuedAt?: Date,
): Promise<{ token: string; userId: number }> {
  const user = await verifyUserPassword(db, input.email, input.password);
  if (!user) throw new DomainError('UNAUTHENTICATED', 'Invalid email or password');
  const { token } = await createAccessToken(db, { userId: user.id, name: tokenName, createdAt: issuedAt });
  return { token, userId: user.id };
}

/**
 * The user whose email and password these are, or null — in the same time whether the email is
 * unknown, the user has no password or the password is wrong (see `login`).
 */
export async function verifyUserPassword(
  db: Db,
  email: string,
  password: string,
): Promise<{ id: number; passwordHash: string } | null> {
  const user = await findUserByEmail(db, email);
  const storedHash = user?.passwordHash ?? (await getDummyPasswordHash());
  const isValid = await verifyPassword(password, storedHash);
  return user?.passwordHash && isValid ? { id: user.id, passwordHash: user.passwordHash } : null;
}
