import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { deleteInBatches } from '../db/batch-delete.js';
import { ProblemError } from './problem.js';
import { idempotencyKeys, type IdempotencyKeyRow } from './idempotency.tables.js';

/** Keys are kept a day, as Stripe does: long enough for any client's retries, short enough to stay small. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** One attempt at the request a key names; only the attempt holding `token` may commit or answer. */
export interface IdempotentAttempt {
  scope: string;
  key: string;
  token: string;
}

export type Reservation =
  { kind: 'owned'; attempt: IdempotentAttempt } | { kind: 'replay'; row: StoredAnswer };

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

// Times are compared on the database's clock, the one every node shares.
const ago = (ms: number) => sql`now() - ${ms}::float8 * interval '1 millisecond'`;

const byKey = (scope: string, key: string) =>
  and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));

function inUse(): ProblemError {
  return new ProblemError({
    status: 409,
    code: 'IDEMPOTENCY_KEY_IN_USE',
    message: 'A request with this Idempotency-Key is still being processed; retry once it has finished',
    details: [],
  });
}

function reused(): ProblemError {
  return new ProblemError({
    status: 422,
    code: 'IDEMPOTENCY_KEY_REUSED',
    message:
      'This Idempotency-Key was already used with a different request (method, path or body); use a new key for a new request',
    details: [{ path: 'headers.idempotency-key', message: 'was used with a different request' }],
  });
}

function answerNotKept(): ProblemError {
  return new ProblemError({
    status: 409,
    code: 'IDEMPOTENCY_KEY_REUSED',
    message:
      'The request made with this Idempotency-Key was carried out, but its answer cannot be replayed (it was lost when the server stopped, or it held a credential shown only once); read the result back instead of retrying',
    details: [],
  });
}

/**
 * Claims the key for this request, or finds its stored answer. The first use inserts an
 * `in_flight` row (committed at once, so a concurrent duplicate sees it and gets 409). A retry
 * with the same fingerprint replays a completed answer; an attempt whose owner died before any
 * write committed (`in_flight` past its lease) is taken over and runs again.
 */
export async function reserveKey(
  db: Db,
  request: { scope: string; key: string; fingerprint: string; leaseMs: number },
): Promise<Reservation> {
  const { scope, key, fingerprint } = request;
  // Two rounds: the row seen may vanish (released after a 5xx, or expired and removed) before we read it.
  for (let round = 0; round < 2; round += 1) {
    const token = randomUUID();
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ scope, key, fingerprint, state: 'in_flight', lockToken: token })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: 'owned', attempt: { scope, key, token } };

    const [row] = await db
      .select({
        row: idempotencyKeys,
        isExpired: sql<boolean>`${idempotencyKeys.createdAt} < ${ago(IDEMPOTENCY_TTL_MS)}`,
        isLeaseOver: sql<boolean>`${idempotencyKeys.lockedAt} < ${ago(request.leaseMs)}`,
      })
      .from(idempotencyKeys)
      .where(byKey(scope, key));
    if (!row) continue;
    if (row.isExpired) {
      await db
        .delete(idempotencyKeys)
        .where(and(byKey(scope, key), eq(idempotencyKeys.lockToken, row.row.lockToken)));
      continue;
    }
    return settleExisting(db, row.row, { fingerprint, token, isLeaseOver: row.isLeaseOver });
  }
  throw inUse();
}

async function settleExisting(
  db: Db,
  row: IdempotencyKeyRow,
  attempt: { fingerprint: string; token: string; isLeaseOver: boolean },
): Promise<Reservation> {
  if (row.fingerprint !== attempt.fingerprint) throw reused();
  if (row.state === 'completed') {
    if (row.responseStatus === null || row.responseBody === null) throw answerNotKept();
    return {
      kind: 'replay',
      row: { status: row.responseStatus, contentType: row.responseContentType, body: row.responseBody },
    };
  }
  // A write of that attempt committed: running it again would do it twice.
  if (row.state === 'committed') throw attempt.isLeaseOver ? answerNotKept() : inUse();
  if (!attempt.isLeaseOver) throw inUse();
  // Nothing committed and the owner stopped renewing: it died (or is hopelessly slow; its commit
  // would then fail on the token). Take the key over, guarded by the token we saw.
  const taken = await db
    .update(idempotencyKeys)
    .set({ lockToken: attempt.token, lockedAt: sql`now()` })
    .where(
      and(
        byKey(row.scope, row.key),
        eq(idempotencyKeys.state, 'in_flight'),
        eq(idempotencyKeys.lockToken, row.lockToken),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (taken.length === 0) throw inUse();
  return { kind: 'owned', attempt: { scope: row.scope, key: row.key, token: attempt.token } };
}

/**
 * Marks, inside a write transaction of the attempt, that its write commits. This is the fence:
 * if another attempt took the key over, the token no longer matches, the error rolls the write
 * back, and at most one attempt's writes ever commit under one key. A write the attempt makes
 * after its answer is stored (work it left running) keeps the key completed.
 */
export async function markCommitted(tx: Db, attempt: IdempotentAttempt): Promise<void> {
  const marked = await tx
    .update(idempotencyKeys)
    .set({
      state: sql`CASE WHEN ${idempotencyKeys.state} = 'in_flight' THEN 'committed' ELSE ${idempotencyKeys.state} END`,
      lockedAt: sql`now()`,
    })
    .where(and(byKey(attempt.scope, attempt.key), eq(idempotencyKeys.lockToken, attempt.token)))
    .returning({ key: idempotencyKeys.key });
  if (marked.length === 0) throw inUse();
}

/** Stores the answer to replay; `body` null keeps only the fact that the request was carried out. */
export async function storeAnswer(
  db: Db,
  attempt: IdempotentAttempt,
  answer: { status: number; contentType: string | null; body: string | null },
): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({
      state: 'completed',
      responseStatus: answer.status,
      responseContentType: answer.contentType,
      responseBody: answer.body,
      lockedAt: sql`now()`,
    })
    .where(and(byKey(attempt.scope, attempt.key), eq(idempotencyKeys.lockToken, attempt.token)));
}

/**
 * The request failed on our side (5xx). If none of its writes committed, the key is released so a
 * retry runs afresh. If one did, the key stays `committed` with its lease ended, so retries learn
 * at once that it was carried out rather than doing it twice.
 */
export async function releaseKey(db: Db, attempt: IdempotentAttempt): Promise<void> {
  const owned = and(byKey(attempt.scope, attempt.key), eq(idempotencyKeys.lockToken, attempt.token));
  await db.delete(idempotencyKeys).where(and(owned, eq(idempotencyKeys.state, 'in_flight')));
  await db
    .update(idempotencyKeys)
    .set({ lockedAt: sql`'epoch'::timestamptz` })
    .where(and(owned, eq(idempotencyKeys.state, 'committed')));
}

/** Removes keys past their day; run by the hourly maintenance job. */
export async function pruneIdempotencyKeys(db: Db): Promise<number> {
  const before = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
  return deleteInBatches(db, sql`idempotency_keys`, sql`created_at < ${before}::timestamptz`);
}
