import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors.js';
import { resolveToken } from '../../core/identity/authenticate.js';
import type { Principal } from '../../core/identity/principal.js';
import type { ApiKeyCache } from '../../core/identity/api-key-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Consulted by `authenticate` on every face, as the token policy is: faces need no wiring. */
    apiKeyCache?: ApiKeyCache;
  }
}

/** Reads a token from a request the way one face's product sends it. */
export type CredentialReader = (request: FastifyRequest) => string | undefined;

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

/** `Authorization: Bearer <token>`; with `isPrefixOptional`, a bare `Authorization: <token>` too (Dixa). */
export function authorizationHeader(options: { isPrefixOptional?: boolean } = {}): CredentialReader {
  return (request) => {
    const value = headerValue(request, 'authorization');
    if (!value) return undefined;
    const match = /^Bearer\s+(.+)$/i.exec(value);
    if (match?.[1]) return match[1].trim();
    return options.isPrefixOptional && !/\s/.test(value) ? value : undefined;
  };
}

/** A token in a named header such as `api_access_token` or `X-API-KEY`. */
export function namedHeader(name: string): CredentialReader {
  const lower = name.toLowerCase();
  return (request) => headerValue(request, lower);
}

/** `?access_token=` for WebSocket clients, which cannot set headers in browsers. */
export const accessTokenQuery: CredentialReader = (request) => {
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.access_token;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** A token in a named cookie (the web app's session); of several cookies with that name, the first. */
export function cookie(name: string): CredentialReader {
  return (request) => {
    const header = headerValue(request, 'cookie');
    if (!header) return undefined;
    for (const pair of header.split(';')) {
      const separator = pair.indexOf('=');
      if (separator < 0 || pair.slice(0, separator).trim() !== name) continue;
      const value = pair.slice(separator + 1).trim();
      return value.length > 0 ? value : undefined;
    }
    return undefined;
  };
}

export function anyOf(...readers: CredentialReader[]): CredentialReader {
  return (request) => {
    for (const reader of readers) {
      const token = reader(request);
      if (token) return token;
    }
    return undefined;
  };
}

/**
 * Resolves the request's credentials or fails with 401; faces render the error their way.
 * The one place every face resolves a credential, so the rate limits that depend on the outcome
 * live here: a client that keeps presenting unknown tokens is refused (429) before any lookup,
 * and an authenticated request counts against its principal, whatever token or address it used.
 */
export async function authenticate(
  request: FastifyRequest,
  reader: CredentialReader,
  deps: { db: Db; platformToken: string | undefined },
): Promise<Principal> {
  const token = reader(request);
  const gate = request.server.credentialGate;
  if (!token) {
    await gate?.countAnonymous(request);
    throw new DomainError('UNAUTHENTICATED', 'Missing credentials');
  }
  await gate?.beforeLookup(request, token);
  const principal = await resolveToken(
    deps.db,
    token,
    deps.platformToken,
    request.server.tokenPolicy,
    request.server.apiKeyCache,
  );
  if (!principal) {
    await gate?.recordFailure(request, token);
    throw new DomainError('UNAUTHENTICATED', 'Invalid or revoked credentials');
  }
  await gate?.admit(request, principal, token);
  return withRequestOrigin(principal, request);
}

/** The principal marked with the request it came in, so the events it causes carry both. */
export function withRequestOrigin(principal: Principal, request: FastifyRequest): Principal {
  return { ...principal, origin: { ip: request.ip, requestId: request.id } };
}
