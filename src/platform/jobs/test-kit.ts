import { sql, type SQL } from 'drizzle-orm';
import { pino } from 'pino';
import { queryRows, type Db } from '../db/database.js';
import type { Logger } from '../logger.js';

/** Helpers shared by this folder's tests. */
export const silentLogger: Logger = pino({ level: process.env.JOBS_TEST_LOG ?? 'silent' });

/** Polls `probe` until it returns something other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(intervalMs);
  }
}

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
