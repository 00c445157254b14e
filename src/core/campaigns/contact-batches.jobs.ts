import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { sqlStateOf } from '../../platform/db/database-errors.js';
import { DomainError } from '../../platform/errors.js';
import { defineJob, enqueue, LeaseLostError, PermanentJobError } from '../../platform/jobs/index.js';
import { errorMessage } from '../../platform/jobs/job-errors.js';
import type { ContactBatchRow } from './campaigns.tables.js';
import {
  DEFAULT_CHUNK_SIZES,
  failContactBatch,
  runContactBatchStep,
  type ChunkSizes,
  type StepResult,
} from './contact-batches-step.js';

export const CONTACT_BATCH_JOB = 'campaigns.contact-batch-step';
/** Bulk work: a queue of its own, claimed by the worker's default pool. */
export const CONTACT_BATCH_QUEUE = 'contact-batches';
/**
 * Steps of one account's batches that may run at once. Claims are already fair across accounts
 * (the job's account is the fairness key); this also keeps one tenant's batches on many campaigns
 * from holding every slot of the pool while another tenant's step waits.
 */
export const CONTACT_BATCH_ACCOUNT_CONCURRENCY = 2;

export const contactBatchPayloadSchema = z.object({
  accountId: z.number().int().positive(),
  batchId: z.uuid(),
});
export type ContactBatchPayload = z.output<typeof contactBatchPayloadSchema>;

export interface ContactBatchJobOptions {
  chunkSizes?: Partial<ChunkSizes>;
  /** Runs inside the step's transaction just before it commits (the crash test hangs here). */
  beforeCommit?: (tx: Db, step: StepResult) => Promise<void>;
}

/** Retrying cannot help: the stored request no longer parses, or the database refuses a value. */
function isPermanent(error: unknown): boolean {
  if (error instanceof DomainError || error instanceof PermanentJobError) return true;
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * One chunk of a batch per job run: the chunk, the batch's progress, the job's completion and the
 * next step's job commit in one transaction. A run cut short (kill -9) rolls back entirely and the
 * job is run again from the progress that did commit. A batch that cannot finish ends FAILED with
 * the reason, so it no longer blocks its campaign.
 */
export function defineContactBatchJob(options: ContactBatchJobOptions = {}) {
  const sizes: ChunkSizes = { ...DEFAULT_CHUNK_SIZES, ...options.chunkSizes };
  return defineJob({
    name: CONTACT_BATCH_JOB,
    queue: CONTACT_BATCH_QUEUE,
    payloadSchema: contactBatchPayloadSchema,
    maxAttempts: 10,
    handler: async (payload, ctx) => {
      try {
        await ctx.complete(async (tx) => {
          const step = await runContactBatchStep(tx, payload, sizes);
          await options.beforeCommit?.(tx, step);
          if (!step.isDone && step.batch) await scheduleContactBatchStep(tx, step.batch);
        });
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        if (!isPermanent(error) && ctx.job.attempts < ctx.job.maxAttempts) throw error;
        await ctx.complete((tx) => failContactBatch(tx, payload, errorMessage(error)));
      }
    },
    // The last attempt died with its worker: the batch ends FAILED instead of blocking its campaign.
    onAbandoned: (tx, payload, reason) =>
      failContactBatch(
        tx,
        payload,
        `the import stopped on its last attempt (${reason}); send the batch again`,
      ),
  });
}

export const contactBatchJob = defineContactBatchJob();

/**
 * Enqueues the batch's next step (in the caller's transaction). The account is the job's fairness
 * key; the dedupe key keeps a batch to one pending step.
 */
export async function scheduleContactBatchStep(
  tx: Db,
  batch: Pick<ContactBatchRow, 'id' | 'accountId'>,
): Promise<void> {
  await enqueue(
    tx,
    contactBatchJob,
    { accountId: batch.accountId, batchId: batch.id },
    {
      accountId: batch.accountId,
      concurrencyKey: `contact-batches:account:${batch.accountId}`,
      concurrencyLimit: CONTACT_BATCH_ACCOUNT_CONCURRENCY,
      dedupeKey: `contact-batch:${batch.id}`,
    },
  );
}
