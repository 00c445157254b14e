import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { DomainError } from '../errors.js';
import type { Principal } from '../../core/identity/principal.js';
import type { TypedApp } from './typed-app.js';

const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics']);
/** The pre-authentication ceiling per client IP, as a multiple of the per-principal budget. */
const CLIENT_CEILING_FACTOR = 10;
const FAILED_AUTH_WINDOW_MS = 60_000;
/** Tokens that authenticated recently on this node, remembered so a noisy neighbour behind the same IP cannot lock them out. */
const RECENT_TOKENS_MAX = 10_000;

/** A 429 carrying the headers a client needs to back off; each face renders the body its own way. */
export class RateLimitedError extends DomainError {
  readonly headers: Record<string, string>;

  constructor(message: string, limit: { max: number; ttlInSeconds: number }) {
    super('RATE_LIMITED', message);
    const retryAfter = String(Math.max(1, limit.ttlInSeconds));
    this.headers = {
      'retry-after': retryAfter,
      'x-ratelimit-limit': String(limit.max),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': retryAfter,
    };
  }
}

/**
 * What `authenticate` consults around a credential lookup. It lives on the server so every face,
 * present and future, gets it without wiring: faces only call `authenticate`.
 */
export interface CredentialGate {
  /** Counts a request that presents no credentials against its client IP's budget. */
  countAnonymous(request: FastifyRequest): Promise<void>;
  /** Refuses, without a lookup, a client that has used up its failed-authentication budget. */
  beforeLookup(request: FastifyRequest, token: string): Promise<void>;
  /** Counts a credential that matched nothing (or no longer does) against the client's failed-authentication budget. */
  recordFailure(request: FastifyRequest, token: string): Promise<void>;
  /** Counts an authenticated request against its principal's budget, whatever token or IP it came from. */
  admit(request: FastifyRequest, principal: Principal, token: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    credentialGate?: CredentialGate;
  }
}

type Limiter = ReturnType<TypedApp['createRateLimit']>;

export function clientKey(request: FastifyRequest): string {
  return normalizeIP(request.ip);
}

export function principalKey(principal: Principal): string {
  switch (principal.kind) {
    case 'platform':
      return 'principal:platform';
    case 'user':
      return `principal:user:${principal.userId}`;
    case 'api_key':
      return `principal:api_key:${principal.keyId}`;
    case 'agent_bot':
      return `principal:agent_bot:${principal.botId}`;
  }
}

async function check(limiter: Limiter, request: FastifyRequest, what: string, increment = true) {
  const result = await limiter(request, { increment });
  if (result.isAllowed) return;
  // A read (no increment) is over once the budget is used up; a counted request once it goes past it.
  const isOver = increment ? result.isExceeded : result.remaining === 0;
  if (!isOver) return;
  throw new RateLimitedError(
    `Rate limit exceeded for ${what}: ${result.max} requests per ${Math.round(result.timeWindow / 1000)} s`,
    result,
  );
}

/**
 * Who is counted: authenticated requests per principal (so inventing tokens buys nothing and two
 * tokens of one user share a budget); requests without credentials per client IP; credentials that
 * match nothing against a strict per-IP budget, past which they are refused before any lookup.
 * A generous per-IP ceiling on every request comes first, before any work.
 * Counters live in Redis when configured, so all nodes share them; in memory otherwise.
 */
export async function registerRateLimits(app: TypedApp, config: Config): Promise<{ close(): Promise<void> }> {
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  await app.register(rateLimit, {
    // Routes opt in with `config.rateLimit` (sign-in); everything else goes through the hooks below.
    global: false,
    max: config.PARLEY_RATE_LIMIT_MAX,
    timeWindow: config.PARLEY_RATE_LIMIT_WINDOW_MS,
    skipOnError: true,
    ...(redis && { redis, nameSpace: 'parley-rate-limit:' }),
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'RATE_LIMITED',
        `Rate limit exceeded: ${context.max} requests per ${context.after} window`,
      ),
  });

  const principalKeys = new WeakMap<FastifyRequest, string>();
  const window = config.PARLEY_RATE_LIMIT_WINDOW_MS;
  const clientCeiling = app.createRateLimit({
    max: config.PARLEY_RATE_LIMIT_MAX * CLIENT_CEILING_FACTOR,
    timeWindow: window,
    keyGenerator: (request) => `client:${clientKey(request)}`,
  });
  const anonymous = app.createRateLimit({
    max: config.PARLEY_RATE_LIMIT_MAX,
    timeWindow: window,
    keyGenerator: (request) => `anonymous:${clientKey(request)}`,
  });
  const failedAuth = app.createRateLimit({
    max: config.PARLEY_FAILED_AUTH_RATE_LIMIT_MAX,
    timeWindow: FAILED_AUTH_WINDOW_MS,
    keyGenerator: (request) => `failed-auth:${clientKey(request)}`,
  });
  const perPrincipal = app.createRateLimit({
    max: config.PARLEY_RATE_LIMIT_MAX,
    timeWindow: window,
    keyGenerator: (request) => principalKeys.get(request) ?? `client:${clientKey(request)}`,
  });

  const recentTokens = new Map<string, number>();
  const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64url');
  const isRecentlyAuthenticated = (token: string) => {
    const expiry = recentTokens.get(tokenDigest(token));
    return expiry !== undefined && expiry > Date.now();
  };

  const gate: CredentialGate = {
    async countAnonymous(request) {
      await check(anonymous, request, 'this client');
    },
    async beforeLookup(request, token) {
      if (isRecentlyAuthenticated(token)) return;
      await check(failedAuth, request, 'failed authentication from this client', false);
    },
    async recordFailure(request, token) {
      recentTokens.delete(tokenDigest(token));
      await failedAuth(request);
    },
    async admit(request, principal, token) {
      const digest = tokenDigest(token);
      recentTokens.delete(digest);
      recentTokens.set(digest, Date.now() + FAILED_AUTH_WINDOW_MS);
      if (recentTokens.size > RECENT_TOKENS_MAX) {
        const oldest = recentTokens.keys().next();
        if (!oldest.done) recentTokens.delete(oldest.value);
      }
      principalKeys.set(request, principalKey(principal));
      await check(perPrincipal, request, 'this principal');
    },
  };
  app.decorate('credentialGate', gate);

  const isUnlimited = (request: FastifyRequest) => UNLIMITED_PATHS.has(request.url.split('?')[0] ?? '');
  app.addHook('onRequest', async (request) => {
    if (isUnlimited(request)) return;
    await check(clientCeiling, request, 'this client');
  });
  // A route-level hook runs after every face's authentication hook: by then a request without a
  // principal is anonymous (public routes, signed links, docs) and counts per client IP.
  app.addHook('onRoute', (route) => {
    const countAnonymous = async (request: FastifyRequest) => {
      if (request.principal || isUnlimited(request)) return;
      await check(anonymous, request, 'this client');
    };
    const existing = route.onRequest;
    route.onRequest = [...(Array.isArray(existing) ? existing : existing ? [existing] : []), countAnonymous];
  });
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof RateLimitedError) void reply.headers(error.headers);
  });
  return {
    async close() {
      await redis?.quit();
    },
  };
}

/** Sign-in routes: few attempts per client IP, against password guessing. */
export function authRateLimit(config: Config) {
  return {
    max: config.PARLEY_AUTH_RATE_LIMIT_MAX,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `auth:${clientKey(request)}`,
  };
}
