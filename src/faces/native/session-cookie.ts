import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import { DomainError } from '../../platform/errors.js';
import { cookie, type CredentialReader } from '../../platform/http/credentials.js';
import { WEB_SESSION_TOKEN_NAME } from '../../core/identity/web-sessions.js';

/**
 * The web app's sign-in: an ordinary personal access token, kept by the browser in an HttpOnly
 * cookie so page scripts never hold it. A cookie is sent by the browser on its own, so it comes
 * with two guards the Bearer header does not need: unsafe methods must carry a custom header
 * (CSRF), and a WebSocket must come from this server's own pages (cross-site WebSocket hijacking).
 */
export const SESSION_COOKIE = 'parley_session';
/**
 * The name the session's token gets in `GET /v1/me/tokens`, so people can tell it apart; the
 * server ends such a token after PARLEY_SESSION_IDLE_MINUTES unused or PARLEY_SESSION_LIFETIME_DAYS.
 */
export const SESSION_TOKEN_NAME = WEB_SESSION_TOKEN_NAME;
export const CSRF_HEADER = 'x-parley-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const readSessionCookie = cookie(SESSION_COOKIE);

function firstHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim().toLowerCase() || undefined;
}

/**
 * Whether the browser reached Parley over HTTPS. The server does not trust proxies (no
 * `trustProxy`), so `request.protocol` is `http` behind a TLS proxy; `X-Forwarded-Proto` and an
 * `https:` PARLEY_PUBLIC_URL say so then. Trusting them here is safe: they can only add `Secure`.
 */
export function isHttpsRequest(request: FastifyRequest, config: Config): boolean {
  return (
    request.protocol === 'https' ||
    firstHeader(request, 'x-forwarded-proto') === 'https' ||
    config.PARLEY_PUBLIC_URL?.startsWith('https:') === true
  );
}

function cookieAttributes(request: FastifyRequest, config: Config, maxAgeSeconds: number): string {
  const secure = isHttpsRequest(request, config) ? '; Secure' : '';
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

export function setSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  config: Config,
  token: string,
): void {
  void reply.header(
    'set-cookie',
    // The browser keeps the cookie as long as the token can live at most.
    `${SESSION_COOKIE}=${token}; ${cookieAttributes(request, config, config.PARLEY_SESSION_LIFETIME_DAYS * 86_400)}`,
  );
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest, config: Config): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttributes(request, config, 0)}`);
}

/**
 * A cross-site page can make the browser send the cookie with a form or a no-cors fetch, but it
 * cannot add a custom header without a CORS preflight, which /api refuses to other origins.
 */
export function requireCsrfHeader(request: FastifyRequest): void {
  if (firstHeader(request, CSRF_HEADER) === '1') return;
  throw new DomainError(
    'FORBIDDEN',
    'Requests authenticated by the session cookie must send the header X-Parley-CSRF: 1 with POST, PUT, PATCH and DELETE',
  );
}

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * The origins this server's pages are served from: the Host the browser asked for, over the
 * protocol it used (as far as the server can tell, see `isHttpsRequest`), and PARLEY_PUBLIC_URL
 * for proxies that rewrite Host. A foreign page can set neither Host nor Origin in a browser.
 */
function ownOrigins(request: FastifyRequest, config: Config): Set<string> {
  const origins = new Set<string>();
  const host = request.headers.host;
  if (host) {
    const protocols = new Set([request.protocol, firstHeader(request, 'x-forwarded-proto')]);
    for (const protocol of protocols) {
      if (protocol !== 'http' && protocol !== 'https') continue;
      const origin = originOf(`${protocol}://${host}`);
      if (origin) origins.add(origin);
    }
  }
  const publicOrigin = config.PARLEY_PUBLIC_URL && originOf(config.PARLEY_PUBLIC_URL);
  if (publicOrigin) origins.add(publicOrigin);
  return origins;
}

/** Browsers let any page open a WebSocket anywhere, cookies included; only the Origin tells. */
export function requireOwnOrigin(request: FastifyRequest, config: Config): void {
  const presented = firstHeader(request, 'origin');
  const origin = presented && originOf(presented);
  if (origin && ownOrigins(request, config).has(origin)) return;
  throw new DomainError(
    'FORBIDDEN',
    "A WebSocket authenticated by the session cookie must be opened from this server's own pages (Origin)",
  );
}

function isWebSocketUpgrade(request: FastifyRequest): boolean {
  return firstHeader(request, 'upgrade') === 'websocket';
}

/**
 * `reader` first (Bearer, `?access_token=`), else the session cookie under its guards: a cookie
 * without them is refused (403) rather than ignored, so the client learns what is missing.
 */
export function orSessionCookie(reader: CredentialReader, config: Config): CredentialReader {
  return (request) => {
    const presented = reader(request);
    if (presented) return presented;
    const token = readSessionCookie(request);
    if (!token) return undefined;
    if (isWebSocketUpgrade(request)) requireOwnOrigin(request, config);
    else if (!SAFE_METHODS.has(request.method)) requireCsrfHeader(request);
    return token;
  };
}
