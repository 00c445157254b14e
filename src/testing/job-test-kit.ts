import { sql, type SQL } from 'drizzle-orm';
import { pino } from 'pino';
import { queryRows, type Database, type Db } from '../platform/db/database.js';
import type { Logger } from '../platform/logger.js';
import {
  JobRegistry,
  JobWorker,
  type AnyJobDefinition,
  type JobWorkerOptions,
} from '../platform/jobs/index.js';

export { waitFor } from './wait.js';

/** Helpers shared by the job runner's tests. */
export const silentLogger: Logger = pino({ level: process.env.JOBS_TEST_LOG ?? 'silent' });

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise plus its resolver, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export async function count(db: Db, query: SQL): Promise<number> {
  const rows = await queryRows<{ count: number | string }>(db, query);
  return Number(rows[0]?.count ?? 0);
}

/** Seconds between the job's run_at and the database's now(); negative when due. */
export async function secondsUntilRun(db: Db, id: number): Promise<number> {
  const rows = await queryRows<{ seconds: number | string }>(
    db,
    sql`SELECT extract(epoch FROM run_at - now())::float8 AS seconds FROM jobs WHERE id = ${id}`,
  );
  return Number(rows[0]?.seconds);
}

/** Pretends time passed: makes the job due now (and its lease, if any, expired). */
export async function makeDue(db: Db, id: number): Promise<void> {
  await db.execute(
    sql`UPDATE jobs SET run_at = now() - interval '1 second',
      locked_until = CASE WHEN locked_until IS NULL THEN NULL ELSE now() - interval '1 second' END
      WHERE id = ${id}`,
  );
}

/** A worker over the given job types with test-friendly defaults (fast polling, quiet logs). */
export function createTestWorker(
  database: Database,
  definitions: AnyJobDefinition[],
  options: Partial<Omit<JobWorkerOptions, 'database' | 'registry'>> = {},
): JobWorker {
  return new JobWorker({
    database,
    registry: new JobRegistry().register(...definitions),
    logger: silentLogger,
    concurrency: 2,
    pollMs: 50,
    leaseMs: 60_000,
    ...options,
  });
}
