import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { DomainError } from '../errors.js';
import type { TypedApp } from './typed-app.js';

// Every header any face reads credentials from; the limit follows the token, whatever the face.
const CREDENTIAL_HEADERS = ['authorization', 'api_access_token', 'api-access-token', 'x-api-key'] as const;
const UNLIMITED_PATHS = new Set(['/health', '/ready', '/metrics']);

/** Requests count per token (hashed, never stored raw) or, without one, per client IP. */
function limitKey(request: FastifyRequest): string {
  for (const name of CREDENTIAL_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string' && value.length > 0) {
      return `token:${createHash('sha256').update(value).digest('base64url')}`;
    }
  }
  return `ip:${request.ip}`;
}

/**
 * Per-token limits on every route, with stricter classes set per route (`authRateLimit`).
 * Counters live in Redis when configured, so all nodes share them; in memory otherwise.
 */
export async function registerRateLimits(app: TypedApp, config: Config): Promise<{ close(): Promise<void> }> {
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { connectTimeout: 500, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  await app.register(rateLimit, {
    global: true,
    max: config.PARLEY_RATE_LIMIT_MAX,
    timeWindow: config.PARLEY_RATE_LIMIT_WINDOW_MS,
    keyGenerator: limitKey,
    allowList: (request) => UNLIMITED_PATHS.has(request.url.split('?')[0] ?? ''),
    skipOnError: true,
    ...(redis && { redis, nameSpace: 'parley-rate-limit:' }),
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'RATE_LIMITED',
        `Rate limit exceeded: ${context.max} requests per ${context.after} window`,
      ),
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
    keyGenerator: (request: FastifyRequest) => `auth:${request.ip}`,
  };
}
