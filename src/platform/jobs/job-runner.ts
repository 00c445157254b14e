import { z } from 'zod';
import type { Database, Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import {
  DeferJobError,
  errorMessage,
  LeaseLostError,
  truncateError,
  PermanentJobError,
  RetryLaterError,
} from './job-errors.js';
import type { AnyJobDefinition, JobContext, JobRegistry } from './job-registry.js';
import { startHeartbeat } from './heartbeat.js';
import { markCompleted, markDead, markDeferred, markRetrying, type ClaimedJob } from './job-store.js';

export type JobOutcome = 'completed' | 'retried' | 'deferred' | 'dead';
/** 'lost': another worker owns the job now, so this one recorded nothing. */
export type RunResult = JobOutcome | 'lost';

export interface RunnerDeps {
  database: Database;
  registry: JobRegistry;
  logger: Logger;
  leaseMs: number;
}

export const LEASE_EXPIRED_ERROR = 'lease expired: worker lost';

/** Runs one claimed job to an outcome. Never throws: every failure becomes a state or a log line. */
export async function runClaimedJob(
  deps: RunnerDeps,
  job: ClaimedJob,
  controller: AbortController,
): Promise<RunResult> {
  const log = deps.logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
  try {
    return await runGuarded(deps, job, controller, log);
  } catch (error) {
    // Only database writes get here (handler and schema errors are handled): the lease will expire.
    log.error({ err: error }, 'could not record job result; it will be retried when its lease expires');
    return 'lost';
  }
}

async function runGuarded(deps: RunnerDeps, job: ClaimedJob, controller: AbortController, log: Logger) {
  const db = deps.database.db;
  const definition = deps.registry.get(job.name);
  if (!definition) return toResult(await markDead(db, job, `no handler registered for ${job.name}`), 'dead');
  if (job.previousState === 'running') log.warn('took over a job whose lease expired');
  // attempts already counts this claim: beyond the maximum means the last allowed attempt died with its worker.
  if (job.attempts > job.maxAttempts) return toResult(await abandon(db, definition, job, log), 'dead');
  const parsed = await parsePayload(definition, job.payload);
  if (!parsed.success) {
    log.warn({ reason: parsed.error }, 'payload no longer matches its schema');
    return toResult(await markDead(db, job, parsed.error), 'dead');
  }
  return execute(deps, definition, job, parsed.payload, controller, log);
}

/** Marks a job whose last attempt died with its worker dead, and lets its module record that. */
async function abandon(db: Db, definition: AnyJobDefinition, job: ClaimedJob, log: Logger): Promise<boolean> {
  const parsed = definition.onAbandoned ? await parsePayload(definition, job.payload) : undefined;
  return db.transaction(async (tx) => {
    const isMarked = await markDead(tx, job, LEASE_EXPIRED_ERROR);
    if (isMarked && parsed?.success) {
      log.warn('the last attempt died with its worker; the job is abandoned');
      await definition.onAbandoned?.(tx, parsed.payload, LEASE_EXPIRED_ERROR);
    }
    return isMarked;
  });
}

type ParsedPayload = { success: true; payload: unknown } | { success: false; error: string };

// Retrying cannot fix a payload the current schema rejects (or a refinement that throws on it).
async function parsePayload(definition: AnyJobDefinition, payload: unknown): Promise<ParsedPayload> {
  try {
    const result = await definition.payloadSchema.safeParseAsync(payload);
    if (result.success) return { success: true, payload: result.data };
    return { success: false, error: truncateError(`invalid payload: ${z.prettifyError(result.error)}`) };
  } catch (error) {
    return { success: false, error: `invalid payload: ${errorMessage(error)}` };
  }
}

interface Progress {
  /** ctx.complete's transaction is under way: the lease token is about to go. */
  completing: boolean;
  completed: boolean;
}

async function execute(
  deps: RunnerDeps,
  definition: AnyJobDefinition,
  job: ClaimedJob,
  payload: unknown,
  controller: AbortController,
  log: Logger,
): Promise<RunResult> {
  const db = deps.database.db;
  const progress: Progress = { completing: false, completed: false };
  const ctx = createContext(deps.database, job, controller.signal, progress);
  // A beat racing ctx.complete would see the token gone and cry "lease lost"; the flag tells it apart.
  const stopHeartbeat = startHeartbeat(
    deps,
    job,
    controller,
    log,
    () => progress.completing || progress.completed,
  );
  let failure: { error: unknown } | undefined;
  try {
    await definition.handler(payload, ctx);
  } catch (error) {
    failure = { error };
  } finally {
    // The lease still has at least two thirds to run: enough for the final write, without racing it.
    stopHeartbeat();
  }
  if (progress.completed) {
    if (failure)
      log.warn({ err: failure.error }, 'handler threw after ctx.complete; the job stays completed');
    return 'completed';
  }
  if (failure) return handleFailure(db, definition, job, failure.error, log);
  return toResult(await markCompleted(db, job), 'completed');
}

function createContext(database: Database, job: ClaimedJob, signal: AbortSignal, progress: Progress) {
  const ctx: JobContext = {
    job: {
      id: job.id,
      name: job.name,
      queue: job.queue,
      accountId: job.accountId,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
    },
    signal,
    async complete(fn: (tx: Db) => Promise<void>) {
      if (progress.completed) throw new Error(`job ${job.id}: ctx.complete called twice`);
      progress.completing = true;
      try {
        await database.db.transaction(async (tx) => {
          // Guard first: it fails fast when the lease is gone, and the row lock it takes keeps any
          // other worker from taking the job over while fn runs.
          if (!(await markCompleted(tx, job))) throw new LeaseLostError(job.id);
          await fn(tx);
        });
        progress.completed = true;
      } finally {
        progress.completing = false;
      }
    },
  };
  return ctx;
}

async function handleFailure(
  db: Db,
  definition: AnyJobDefinition,
  job: ClaimedJob,
  error: unknown,
  log: Logger,
): Promise<RunResult> {
  const message = errorMessage(error);
  // Checked first: a deferral is no attempt, so even a job on its last attempt is not given up.
  if (error instanceof DeferJobError) {
    log.debug({ delayMs: error.delayMs, reason: message }, 'job deferred; attempt not counted');
    return toResult(await markDeferred(db, job, error.delayMs), 'deferred');
  }
  if (error instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
    log.warn({ err: error }, 'job failed for good');
    return toResult(await markDead(db, job, message), 'dead');
  }
  const delayMs =
    error instanceof RetryLaterError ? error.delayMs : safeBackoff(definition, job.attempts, log);
  log.info({ err: error, delayMs }, 'job failed; will retry');
  return toResult(await markRetrying(db, job, delayMs, message), 'retried');
}

// A throwing or nonsensical backoff must not leave the job stuck in 'running'.
function safeBackoff(definition: AnyJobDefinition, attempt: number, log: Logger): number {
  try {
    const delay = definition.backoff(attempt);
    return Number.isFinite(delay) ? Math.max(0, delay) : 0;
  } catch (error) {
    log.error({ err: error }, 'backoff function threw; retrying without delay');
    return 0;
  }
}

function toResult(written: boolean, outcome: JobOutcome): RunResult {
  return written ? outcome : 'lost';
}
