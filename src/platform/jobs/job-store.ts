import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import type { JobState } from './jobs.tables.js';
import { jobs } from './jobs.tables.js';

/** A job this worker holds: `leaseToken` proves it, and every later write is guarded by it. */
export interface ClaimedJob {
  id: number;
  name: string;
  queue: string;
  accountId: number | null;
  payload: unknown;
  /** Already counts this attempt. */
  attempts: number;
  maxAttempts: number;
  leaseToken: string;
  /** 'running' when the job was taken over from a worker whose lease expired. */
  previousState: JobState;
}

function leaseEnd(leaseMs: number): SQL {
  return sql`now() + ${leaseMs}::double precision * interval '1 millisecond'`;
}

function fromNow(delayMs: number): SQL {
  return sql`now() + ${Math.max(0, delayMs)}::double precision * interval '1 millisecond'`;
}

function heldBy(job: Pick<ClaimedJob, 'id' | 'leaseToken'>): SQL | undefined {
  return and(eq(jobs.id, job.id), eq(jobs.leaseToken, job.leaseToken), eq(jobs.state, 'running'));
}

/** Extends the lease; false when this worker no longer holds it. */
export async function extendLease(db: Db, job: ClaimedJob, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: leaseEnd(leaseMs), updatedAt: sql`now()` })
    .where(heldBy(job))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Marks the job completed if this worker still holds it; false otherwise (nothing written). */
export function markCompleted(db: Db, job: ClaimedJob): Promise<boolean> {
  return release(db, job, { state: 'completed', finishedAt: sql`now()` });
}

/** Ends this worker's hold on the job with the given changes; false when the lease was already lost. */
async function release(db: Db, job: ClaimedJob, changes: PgUpdateSetSource<typeof jobs>): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({ ...changes, leaseToken: null, lockedUntil: null, updatedAt: sql`now()` })
    .where(heldBy(job))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Schedules another attempt after `delayMs`; false when the lease was lost. */
export function markRetrying(db: Db, job: ClaimedJob, delayMs: number, error: string): Promise<boolean> {
  return release(db, job, {
    state: 'retrying',
    runAt: fromNow(delayMs),
    lastError: error,
  });
}

/**
 * Puts the job back without counting this attempt: it could not be tried now (its endpoint's
 * circuit is open), which says nothing about the job itself. False when the lease was lost.
 */
export function markDeferred(db: Db, job: ClaimedJob, delayMs: number): Promise<boolean> {
  return release(db, job, {
    state: 'retrying',
    runAt: fromNow(delayMs),
    attempts: sql`greatest(${jobs.attempts} - 1, 0)`,
  });
}

/**
 * Expires the leases held by the given workers, so the next claim takes their jobs over at once
 * (counting the lost attempt, as a lease that ran out would). For a node that knows those workers
 * died with its previous process. Returns how many jobs were freed.
 */
export async function expireLeases(db: Db, holders: readonly string[]): Promise<number> {
  if (holders.length === 0) return 0;
  const rows = await db
    .update(jobs)
    .set({ lockedUntil: sql`now() - interval '1 millisecond'`, updatedAt: sql`now()` })
    .where(and(eq(jobs.state, 'running'), inArray(jobs.lockedBy, [...holders])))
    .returning({ id: jobs.id });
  return rows.length;
}

/** The distinct workers holding running jobs whose id starts with `prefix`. */
export async function findLeaseHolders(db: Db, prefix: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ lockedBy: jobs.lockedBy })
    .from(jobs)
    .where(and(eq(jobs.state, 'running'), sql`starts_with(${jobs.lockedBy}, ${prefix})`));
  return rows.flatMap((row) => (row.lockedBy === null ? [] : [row.lockedBy]));
}

/**
 * Moves every waiting job of a concurrency key to no earlier than `until` (a webhook endpoint
 * whose circuit opened): they stop being due, so they take neither claims nor slots meanwhile.
 */
export async function postponeByKey(db: Db, concurrencyKey: string, until: Date): Promise<void> {
  await db
    .update(jobs)
    .set({ runAt: sql`greatest(${jobs.runAt}, ${until.toISOString()}::timestamptz)`, updatedAt: sql`now()` })
    .where(and(eq(jobs.concurrencyKey, concurrencyKey), inArray(jobs.state, ['queued', 'retrying'])));
}

/** Makes every waiting job of a concurrency key due now (its endpoint recovered). */
export async function releaseByKey(db: Db, concurrencyKey: string): Promise<void> {
  await db
    .update(jobs)
    .set({ runAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(jobs.concurrencyKey, concurrencyKey),
        inArray(jobs.state, ['queued', 'retrying']),
        sql`${jobs.runAt} > now()`,
      ),
    );
}

/** Gives up on the job for good; false when the lease was lost. */
export function markDead(db: Db, job: ClaimedJob, error: string): Promise<boolean> {
  return release(db, job, { state: 'dead', lastError: error, finishedAt: sql`now()` });
}
