import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors.js';
import type { JobDefinition } from './job-registry.js';
import { jobs } from './jobs.tables.js';
import { notifyOnCommit } from '../db/notify-after-commit.js';

/** Workers LISTEN here; the payload is the queue name. */
export const JOBS_CHANNEL = 'parley_jobs';

/** States in which a job still counts as pending for deduplication. */
export const PENDING_STATES = ['queued', 'retrying', 'running'] as const;

export interface EnqueueOptions {
  /** The owning account; null or absent for system jobs. */
  accountId?: number | null;
  /** Run no earlier than this instant. Takes precedence over delayMs. */
  runAt?: Date;
  /** Run no earlier than now + delayMs, on the database clock (app and database clocks may differ). */
  delayMs?: number;
  /** Higher runs first among due jobs of a queue; default 0. */
  priority?: number;
  /** Overrides the definition's maxAttempts for this job. */
  maxAttempts?: number;
  /**
   * Jobs sharing this key (e.g. one webhook endpoint) run at most `concurrencyLimit` at a time;
   * the others are not claimed meanwhile, so they hold no slot.
   */
  concurrencyKey?: string;
  /** Required with `concurrencyKey`; default 1. */
  concurrencyLimit?: number;
  /** While a job with the same name and key is queued, retrying or running, do not insert another. */
  dedupeKey?: string;
  /**
   * Called after the insert, e.g. an in-process worker's `wake`. Inside a transaction it runs
   * before the commit; a worker woken early finds nothing and the pg_notify wakes it again on commit.
   */
  notifier?: () => void;
}

/**
 * What enqueuing needs of a job type: its name, queue, attempts and payload schema. A module can
 * enqueue a job whose handler is built elsewhere (with its run-time dependencies) from this alone.
 */
export type JobTarget<TInput> = Pick<
  JobDefinition<TInput, unknown>,
  'name' | 'queue' | 'maxAttempts' | 'payloadSchema'
>;

export type EnqueueItem<TInput> = Omit<EnqueueOptions, 'dedupeKey' | 'notifier'> & { payload: TInput };

// Stays far below PostgreSQL's 65,535 bind parameters per statement.
const MAX_ROWS_PER_INSERT = 1000;

/**
 * Inserts a job and returns its id. Pass a transaction as `db` to make the job part of it:
 * it exists (and workers hear of it) only if that transaction commits.
 */
export async function enqueue<TInput>(
  db: Db,
  definition: JobTarget<TInput>,
  payload: NoInfer<TInput>,
  options: EnqueueOptions = {},
): Promise<number> {
  await validatePayload(definition, payload, '');
  const { dedupeKey } = options;
  const id =
    dedupeKey === undefined
      ? await insertJobs(db, definition, [{ ...options, payload }]).then((ids) => ids[0])
      : await enqueueDeduplicated(db, definition, payload, options, dedupeKey);
  if (id === undefined) throw new Error(`job ${definition.name}: insert returned no id`);
  options.notifier?.();
  return id;
}

/** Enqueues many jobs of one type with multi-row INSERTs; returns their ids in input order. No dedupe. */
export async function enqueueMany<TInput>(
  db: Db,
  definition: JobTarget<TInput>,
  items: readonly EnqueueItem<NoInfer<TInput>>[],
  options: Pick<EnqueueOptions, 'notifier'> = {},
): Promise<number[]> {
  for (const [index, item] of items.entries()) await validatePayload(definition, item.payload, `${index}.`);
  const ids: number[] = [];
  for (let start = 0; start < items.length; start += MAX_ROWS_PER_INSERT) {
    ids.push(...(await insertJobs(db, definition, items.slice(start, start + MAX_ROWS_PER_INSERT))));
  }
  if (ids.length > 0) options.notifier?.();
  return ids;
}

/**
 * The table's dedupe index is not unique, so a transaction-scoped advisory lock on (name, key)
 * serialises concurrent enqueues of the same key: the second waits for the first to commit or roll
 * back, then sees its row. `db.transaction` on a transaction is a savepoint; the lock lives until
 * the caller's outer transaction ends.
 */
async function enqueueDeduplicated<TInput>(
  db: Db,
  definition: JobTarget<TInput>,
  payload: TInput,
  options: EnqueueOptions,
  dedupeKey: string,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    await lockDedupeKey(tx, definition.name, dedupeKey);
    const existing = await findPendingDuplicate(tx, definition.name, dedupeKey);
    if (existing !== undefined) return existing;
    const ids = await insertJobs(tx, definition, [{ ...options, payload }]);
    return ids[0];
  });
}

export async function lockDedupeKey(db: Db, name: string, dedupeKey: string): Promise<void> {
  // The two-int form lives in its own lock space, apart from the bigint keys used elsewhere;
  // a hash collision only makes two unrelated enqueues wait for each other.
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${name}::text), hashtext(${dedupeKey}::text))`);
}

export async function findPendingDuplicate(
  db: Db,
  name: string,
  dedupeKey: string,
): Promise<number | undefined> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.name, name), eq(jobs.dedupeKey, dedupeKey), inArray(jobs.state, [...PENDING_STATES])))
    .limit(1);
  return rows[0]?.id;
}

async function insertJobs<TInput>(
  db: Db,
  definition: JobTarget<TInput>,
  items: readonly (EnqueueItem<TInput> & { dedupeKey?: string })[],
): Promise<number[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insert(jobs)
    .values(
      items.map((item) => ({
        accountId: item.accountId ?? null,
        name: definition.name,
        queue: definition.queue,
        // Stored as enqueued (the schema's input) and parsed again at pick-up, so transforms stay with the handler.
        payload: item.payload as Record<string, unknown>,
        priority: item.priority ?? 0,
        maxAttempts: item.maxAttempts ?? definition.maxAttempts,
        runAt: runAtOf(item),
        dedupeKey: item.dedupeKey ?? null,
        concurrencyKey: item.concurrencyKey ?? null,
        concurrencyLimit: item.concurrencyKey === undefined ? null : Math.max(1, item.concurrencyLimit ?? 1),
      })),
    )
    .returning({ id: jobs.id });
  // Delivered when the surrounding transaction commits, never for a rolled-back job.
  await notifyOnCommit(db, JOBS_CHANNEL, definition.queue);
  return rows.map((row) => row.id);
}

function runAtOf(options: Pick<EnqueueOptions, 'runAt' | 'delayMs'>): Date | SQL {
  if (options.runAt) return options.runAt;
  const delayMs = Math.max(0, options.delayMs ?? 0);
  return sql`now() + ${delayMs}::double precision * interval '1 millisecond'`;
}

async function validatePayload<TInput>(
  definition: JobTarget<TInput>,
  payload: unknown,
  pathPrefix: string,
): Promise<void> {
  const result = await definition.payloadSchema.safeParseAsync(payload);
  if (result.success) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    `job ${definition.name}: invalid payload`,
    result.error.issues.map((issue) => ({
      path: `${pathPrefix}${issue.path.map(String).join('.')}`,
      message: issue.message,
    })),
  );
}
