import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { withRequestOrigin } from '../../platform/http/credentials.js';
import { resolveToken, verifyUserPassword } from '../../core/identity/authenticate.js';
import type { TokenPolicy } from '../../core/identity/web-sessions.js';
import { findUserByEmail } from '../../core/identity/users.js';
import type { Principal } from '../../core/identity/principal.js';
import { resolveSessionToken } from '../../core/identity/sessions.js';

/**
 * CALLR's three `Authorization` forms (callr.methods.md, "Transport"):
 * - `Basic base64(login:password)` — what the published SDK sends on every request. The login is
 *   the user's email; the secret is their password, an API key (`login:api-key`) or a session token;
 * - `Api-Key <key>` — an account API key or a user's access token;
 * - `Session <token>` — a token from `session.create`.
 */
export type CallrCredential =
  | { scheme: 'basic'; login: string; secret: string }
  | { scheme: 'token'; token: string }
  | { scheme: 'session'; token: string };

export function readCallrCredential(request: FastifyRequest): CallrCredential | undefined {
  const header: string | string[] | undefined = request.headers.authorization;
  const value = (typeof header === 'string' ? header : header?.[0])?.trim();
  if (!value) return undefined;
  const [, rawScheme = '', rawRest = ''] = /^(\S+)\s+(.+)$/.exec(value) ?? [];
  const scheme = rawScheme.toLowerCase();
  const rest = rawRest.trim();
  if (!rest) return undefined;
  if (scheme === 'api-key' || scheme === 'bearer') return { scheme: 'token', token: rest };
  if (scheme === 'session') return { scheme: 'session', token: rest };
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(rest, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { scheme: 'basic', login: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

// The SDK sends the password on every request and scrypt costs tens of milliseconds by design, so a
// verified login:password pair is remembered briefly, keyed by a digest (never the password itself),
// with the stored hash it matched: a changed password no longer matches, whatever the cache says.
const PASSWORD_CACHE_MS = 60_000;
const PASSWORD_CACHE_MAX = 10_000;
const verifiedPasswords = new Map<string, { userId: number; passwordHash: string; until: number }>();

function passwordKey(login: string, secret: string): string {
  return createHash('sha256').update(`${login.toLowerCase()}\u0000${secret}`).digest('base64url');
}

async function resolvePassword(db: Db, login: string, secret: string): Promise<Principal | null> {
  const key = passwordKey(login, secret);
  const cached = verifiedPasswords.get(key);
  if (cached && cached.until > Date.now()) {
    const user = await findUserByEmail(db, login);
    if (user?.id === cached.userId && user.passwordHash === cached.passwordHash) {
      return { kind: 'user', userId: user.id, tokenId: 0 };
    }
  }
  // Unknown logins pay for a password check too, so timing does not tell which logins exist.
  const user = await verifyUserPassword(db, login, secret);
  if (!user) return null;
  if (verifiedPasswords.size >= PASSWORD_CACHE_MAX) verifiedPasswords.clear();
  verifiedPasswords.set(key, {
    userId: user.id,
    passwordHash: user.passwordHash,
    until: Date.now() + PASSWORD_CACHE_MS,
  });
  // tokenId 0: no access token stands behind a password; revoking tokens does not end it, a new password does.
  return { kind: 'user', userId: user.id, tokenId: 0 };
}

async function resolveCredential(
  db: Db,
  credential: CallrCredential,
  platformToken: string | undefined,
  policy: TokenPolicy | undefined,
): Promise<Principal | null> {
  switch (credential.scheme) {
    case 'token':
      return resolveToken(db, credential.token, platformToken, policy);
    case 'session':
      return resolveSessionToken(db, credential.token);
    case 'basic': {
      // `login:api-key` works like `Api-Key`, `login:session-token` like `Session` (the published
      // SDK can send nothing but Basic); anything else is a password.
      const viaToken = /^(pk_|pat_)/.test(credential.secret)
        ? await resolveToken(db, credential.secret, undefined, policy)
        : credential.secret.startsWith('cs_')
          ? await resolveSessionToken(db, credential.secret)
          : null;
      return viaToken ?? resolvePassword(db, credential.login, credential.secret);
    }
  }
}

/**
 * The request's principal, through the same gate as every face: unknown credentials count against
 * the client's failure budget and an authenticated request against its principal's.
 */
export async function authenticateCallr(
  request: FastifyRequest,
  deps: { db: Db; platformToken: string | undefined },
): Promise<Principal> {
  const credential = readCallrCredential(request);
  const gate = request.server.credentialGate;
  if (!credential) {
    await gate?.countAnonymous(request);
    throw new DomainError(
      'UNAUTHENTICATED',
      'Missing credentials: send Authorization: Basic (login:password or login:api-key), Api-Key or Session',
    );
  }
  const gateKey =
    credential.scheme === 'basic' ? passwordKey(credential.login, credential.secret) : credential.token;
  await gate?.beforeLookup(request, gateKey);
  const principal = await resolveCredential(
    deps.db,
    credential,
    deps.platformToken,
    request.server.tokenPolicy,
  );
  if (!principal) {
    await gate?.recordFailure(request, gateKey);
    throw new DomainError('UNAUTHENTICATED', 'Invalid login, password, key or session');
  }
  await gate?.admit(request, principal, gateKey);
  return withRequestOrigin(principal, request);
}
