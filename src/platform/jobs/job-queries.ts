import { and, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { DomainError, notFound } from '../errors.js';
import { findPendingDuplicate, JOBS_CHANNEL, lockDedupeKey } from './enqueue.js';
import { jobs, type JobRow, type JobState } from './jobs.tables.js';
import { notifyOnCommit } from '../db/notify-after-commit.js';

export interface ListJobsQuery {
  /** A number: that account's jobs; null: system jobs only; absent: every job (operators). */
  accountId?: number | null;
  state?: JobState;
  name?: string;
  limit: number;
  /** The previous page's nextCursor. */
  afterId?: number;
}

export interface JobPage {
  jobs: JobRow[];
  /** Pass as afterId for the next page; null on the last page. */
  nextCursor: number | null;
}

function accountFilter(accountId: number | null | undefined): SQL | undefined {
  if (accountId === undefined) return undefined;
  return accountId === null ? isNull(jobs.accountId) : eq(jobs.accountId, accountId);
}

/** Newest first, keyset-paginated on id so deep pages cost the same as the first. */
export async function listJobs(db: Db, query: ListJobsQuery): Promise<JobPage> {
  const limit = Math.max(1, Math.min(query.limit, 500));
  const rows = await db
    .select()
    .from(jobs)
    .where(
      and(
        accountFilter(query.accountId),
        query.state === undefined ? undefined : eq(jobs.state, query.state),
        query.name === undefined ? undefined : eq(jobs.name, query.name),
        query.afterId === undefined ? undefined : lt(jobs.id, query.afterId),
      ),
    )
    .orderBy(desc(jobs.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { jobs: page, nextCursor: rows.length > limit && last ? last.id : null };
}

/** Null when the job does not exist or, with accountId, belongs to another account. */
export async function getJob(
  db: Db,
  id: number,
  options: { accountId?: number } = {},
): Promise<JobRow | null> {
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), accountFilter(options.accountId)))
    .limit(1);
  return rows[0] ?? null;
}

export interface QueueDepth {
  queue: string;
  state: 'queued' | 'retrying' | 'running';
  count: number;
}

/** Pending jobs per queue and state, for queue-depth gauges. */
export async function countPendingByQueue(db: Db): Promise<QueueDepth[]> {
  const rows = await db
    .select({ queue: jobs.queue, state: jobs.state, count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(inArray(jobs.state, ['queued', 'retrying', 'running']))
    .groupBy(jobs.queue, jobs.state)
    .orderBy(jobs.queue, jobs.state);
  return rows.map((row) => ({ queue: row.queue, state: row.state as QueueDepth['state'], count: row.count }));
}

/**
 * Admin action: puts a dead or cancelled job back to queued with a fresh attempt budget.
 * Refused (CONFLICT) when an equal job (same name and dedupe key) is already pending.
 */
export async function retryJob(db: Db, id: number, accountId?: number): Promise<JobRow> {
  return db.transaction(async (tx) => {
    const job = await getJob(tx, id, { accountId });
    if (!job) throw notFound('job');
    if (job.state !== 'dead' && job.state !== 'cancelled') {
      throw new DomainError(
        'INVALID_STATE',
        `only dead or cancelled jobs can be retried; this one is ${job.state}`,
      );
    }
    if (job.dedupeKey !== null) {
      await lockDedupeKey(tx, job.name, job.dedupeKey);
      if ((await findPendingDuplicate(tx, job.name, job.dedupeKey)) !== undefined) {
        throw new DomainError('CONFLICT', 'an equal job is already pending');
      }
    }
    const [updated] = await tx
      .update(jobs)
      .set({ state: 'queued', attempts: 0, runAt: sql`now()`, finishedAt: null, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, id), inArray(jobs.state, ['dead', 'cancelled'])))
      .returning();
    if (!updated) throw new DomainError('INVALID_STATE', 'the job changed state meanwhile');
    await notifyOnCommit(tx, JOBS_CHANNEL, updated.queue);
    return updated;
  });
}

/**
 * Cancels a job that has not started (queued or retrying). A running job cannot be cancelled:
 * its handler may already have had effects; let it finish or fail.
 */
export async function cancelJob(db: Db, id: number, accountId?: number): Promise<JobRow> {
  const [updated] = await db
    .update(jobs)
    .set({ state: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), accountFilter(accountId), inArray(jobs.state, ['queued', 'retrying'])))
    .returning();
  if (updated) return updated;
  const job = await getJob(db, id, { accountId });
  if (!job) throw notFound('job');
  throw new DomainError(
    'INVALID_STATE',
    `only queued or retrying jobs can be cancelled; this one is ${job.state}`,
  );
}
