import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db/database.js';
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

export interface ClaimRequest {
  queues: readonly string[];
  names: readonly string[];
  limit: number;
  workerId: string;
  leaseMs: number;
}

function leaseEnd(leaseMs: number): SQL {
  return sql`now() + ${leaseMs}::double precision * interval '1 millisecond'`;
}

function list(values: readonly string[]): SQL {
  return sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  );
}

/**
 * Claims up to `limit` due jobs in one statement. Due means queued/retrying with run_at reached,
 * or running with an expired lease (its worker died). Order: priority DESC (higher first), then
 * run_at, then id, so equal-priority jobs run roughly in the order they became due.
 * SKIP LOCKED lets concurrent workers claim disjoint rows without waiting on each other.
 * Only registered names are claimed, so a node running older code leaves unknown jobs alone.
 */
export async function claimJobs(db: Db, request: ClaimRequest): Promise<ClaimedJob[]> {
  if (request.limit <= 0 || request.queues.length === 0 || request.names.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`WITH due AS (
      SELECT id, state AS previous_state FROM jobs
      WHERE queue IN (${list(request.queues)}) AND name IN (${list(request.names)})
        AND ((state IN ('queued', 'retrying') AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
      ORDER BY priority DESC, run_at, id
      LIMIT ${request.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, lease_token = gen_random_uuid(),
      locked_by = ${request.workerId}, locked_until = ${leaseEnd(request.leaseMs)},
      started_at = now(), updated_at = now()
    FROM due WHERE jobs.id = due.id
    RETURNING jobs.id, jobs.name, jobs.queue, jobs.account_id, jobs.payload, jobs.attempts,
      jobs.max_attempts, jobs.lease_token, due.previous_state`,
  );
  return rows.map(toClaimedJob).sort((a, b) => a.id - b.id);
}

// Raw rows differ by driver (postgres.js returns bigint as string): normalise here.
function toClaimedJob(row: Record<string, unknown>): ClaimedJob {
  return {
    id: Number(row.id),
    name: String(row.name),
    queue: String(row.queue),
    accountId: row.account_id === null ? null : Number(row.account_id),
    payload: row.payload,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseToken: String(row.lease_token),
    previousState: String(row.previous_state) as JobState,
  };
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
    runAt: sql`now() + ${Math.max(0, delayMs)}::double precision * interval '1 millisecond'`,
    lastError: error,
  });
}

/** Gives up on the job for good; false when the lease was lost. */
export function markDead(db: Db, job: ClaimedJob, error: string): Promise<boolean> {
  return release(db, job, { state: 'dead', lastError: error, finishedAt: sql`now()` });
}
