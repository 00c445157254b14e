import { accessTokens } from './identity.tables.js';

/**
 * The web app signs in with an ordinary personal access token under this name, kept in its
 * HttpOnly cookie (faces/native/session-cookie.ts). Other tokens are for software and live until
 * revoked; a web session also ends on its own, like a browser session should.
 */
export const WEB_SESSION_TOKEN_NAME = 'web session';

/** How long tokens live without being revoked, and the time they are judged by. */
export interface TokenPolicy {
  /** A web session unused for this long no longer authenticates. */
  webSessionIdleMs: number;
  /** A web session this old no longer authenticates, however busy it is. */
  webSessionLifetimeMs: number;
  /** The app's clock (tests move it forward instead of sleeping). */
  now(): Date;
}

export interface TokenAge {
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The access token columns `isExpiredWebSession` judges, for the selects that authenticate. */
export const tokenAgeColumns = {
  name: accessTokens.name,
  createdAt: accessTokens.createdAt,
  lastUsedAt: accessTokens.lastUsedAt,
};

/**
 * Whether a token is a web session past its idle or absolute limit. `last_used_at` is written at
 * most once a minute, so the idle limit is exact to about a minute, far below its hours.
 */
export function isExpiredWebSession(token: TokenAge, policy: TokenPolicy): boolean {
  if (token.name !== WEB_SESSION_TOKEN_NAME) return false;
  const now = policy.now().getTime();
  const lastActivity = Math.max(token.createdAt.getTime(), token.lastUsedAt?.getTime() ?? 0);
  return (
    now - token.createdAt.getTime() >= policy.webSessionLifetimeMs ||
    now - lastActivity >= policy.webSessionIdleMs
  );
}
