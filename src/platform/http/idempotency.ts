import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import type { Principal } from '../../core/identity/principal.js';
import type { AppContext } from '../app-context.js';
import { ProblemError } from './problem.js';
import type { TypedApp } from './typed-app.js';
import {
  markCommitted,
  releaseKey,
  reserveKey,
  storeAnswer,
  type IdempotentAttempt,
  type StoredAnswer,
} from './idempotency-store.js';

const HEADER = 'idempotency-key';
const KEY_MAX_LENGTH = 255;
/**
 * How long an attempt that committed nothing holds its key before a retry may take it over. A
 * live request renews nothing, so this must exceed the slowest handler; one that outlives it
 * still cannot commit twice (the fence refuses its commit).
 */
export const IDEMPOTENCY_LEASE_MS = 30_000;

/**
 * Routes (by template) whose answer carries a secret shown only once: a new API key, access token
 * or invitation token. The key still guards them from running twice, but the answer is not
 * stored: the secret would otherwise sit in plain text beside its hash for a day.
 */
const ONE_TIME_SECRET_ROUTES = new Set([
  '/api/v1/accounts/:accountId/api-keys',
  '/api/v1/accounts/:accountId/invitations',
  '/api/v1/me/tokens',
]);

declare module 'fastify' {
  interface FastifyRequest {
    /** The attempt this request runs under an Idempotency-Key, when it sent one. */
    idempotentAttempt?: IdempotentAttempt;
  }
}

const currentAttempt = new AsyncLocalStorage<IdempotentAttempt>();

/**
 * Stripe-style `Idempotency-Key` on a face's POST routes: the first request with a key runs and
 * its answer (status and body) is stored; a retry with the same method, path and body gets that
 * answer again with `Idempotent-Replayed: true`; another request under the same key is refused
 * (422), and a duplicate arriving while the first still runs gets 409. Install before the routes.
 *
 * Returns the context the routes must use: its database marks the key `committed` inside every
 * write transaction a keyed request opens, so a crash between that commit and storing the answer
 * can never make a retry write twice (see docs/decisions.md for what this does not cover).
 */
export function installIdempotency(
  app: TypedApp,
  ctx: AppContext,
  options: { leaseMs?: number } = {},
): AppContext {
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || route.config?.isPublic) return;
    const handler = route.handler;
    route.handler = async function (this: unknown, request: FastifyRequest, reply: FastifyReply) {
      const key = readKey(request);
      if (key === undefined || !request.principal) return handler.call(this as never, request, reply);
      const reservation = await reserveKey(ctx.db, {
        scope: scopeOf(request.principal),
        key,
        fingerprint: fingerprintOf(request),
        leaseMs,
      });
      if (reservation.kind === 'replay') return replay(reply, reservation.row);
      request.idempotentAttempt = reservation.attempt;
      return currentAttempt.run(reservation.attempt, () => handler.call(this as never, request, reply));
    };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const attempt = request.idempotentAttempt;
    if (!attempt) return payload;
    try {
      await settle(ctx.db, attempt, request, reply, payload);
    } catch (error) {
      // The answer still goes out; the key stays in flight or committed, and its lease decides.
      request.log.warn({ err: error }, 'could not store the idempotent answer');
    }
    return payload;
  });
  return { ...ctx, db: fenceTransactions(ctx.db) };
}

function readKey(request: FastifyRequest): string | undefined {
  const value = request.headers[HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > KEY_MAX_LENGTH) {
    throw new ProblemError({
      status: 400,
      code: 'BAD_REQUEST',
      message: `Idempotency-Key must be one header of 1 to ${KEY_MAX_LENGTH} characters`,
      details: [{ path: `headers.${HEADER}`, message: `must be 1 to ${KEY_MAX_LENGTH} characters` }],
    });
  }
  return value;
}

/** Keys belong to who sends them: an account's API keys share theirs, as Stripe's do. */
function scopeOf(principal: Principal): string {
  switch (principal.kind) {
    case 'platform':
      return 'platform';
    case 'user':
      return `user:${principal.userId}`;
    case 'api_key':
      return `account:${principal.accountId}`;
    case 'agent_bot':
      return `agent_bot:${principal.botId}`;
  }
}

/** The validated body, so formatting differences between two sends of the same request do not count. */
function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

function replay(reply: FastifyReply, answer: StoredAnswer) {
  return reply
    .status(answer.status)
    .header('idempotent-replayed', 'true')
    .type(answer.contentType ?? 'application/json; charset=utf-8')
    .send(answer.body);
}

async function settle(
  db: Db,
  attempt: IdempotentAttempt,
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  const status = reply.statusCode;
  // A server failure is not an answer to the request: the retry should get a real one.
  if (status >= 500 || typeof payload !== 'string') return releaseKey(db, attempt);
  const contentType = reply.getHeader('content-type');
  const isOneTimeSecret = status < 300 && ONE_TIME_SECRET_ROUTES.has(request.routeOptions.url ?? '');
  await storeAnswer(db, attempt, {
    status,
    contentType: typeof contentType === 'string' ? contentType : null,
    body: isOneTimeSecret ? null : payload,
  });
}

/**
 * The database as the face's routes see it: unchanged, except that a transaction opened while a
 * keyed request runs also marks that request's key committed, in the same transaction.
 */
function fenceTransactions(db: Db): Db {
  const transaction: Db['transaction'] = (work, config) => {
    const attempt = currentAttempt.getStore();
    if (!attempt) return db.transaction(work, config);
    return db.transaction(async (tx) => {
      const result = await work(tx);
      await markCommitted(tx, attempt);
      return result;
    }, config);
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the real database; the constructor stays itself (Drizzle's `is()` reads it).
      if (typeof value !== 'function' || property === 'constructor') return value;
      return (value as (...args: unknown[]) => unknown).bind(target);
    },
  });
}
