import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { defineJob, enqueue, exponentialBackoff, type JobContext } from '../../platform/jobs/index.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { mediaJobs, type MediaJobRow } from './media.tables.js';

/**
 * CALLR's asynchronous jobs: `media.import_file_from_base64_async` starts one, `jobs.get` reads it.
 * The work runs as durable platform jobs; what callers enqueue is defined here and the handlers,
 * which need storage, ffmpeg and HTTP, are attached by createMediaRuntime under the same names.
 */

export const mediaJobPayloadSchema = z.object({ accountId: z.number().int(), mediaJobId: z.number().int() });
export type MediaJobPayload = z.infer<typeof mediaJobPayloadSchema>;

/** An imported file can be used (set_content_from_file) this long after its import finished. */
export const IMPORTED_FILE_TTL_MS = 24 * 60 * 60 * 1000;
export const IMPORT_MAX_ATTEMPTS = 3;
export const JOB_WEBHOOK_MAX_ATTEMPTS = 6;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(new Error('media jobs run through createMediaRuntime(deps), registered by the app'));
}

export const importFileJob = defineJob({
  name: 'media.import_file',
  payloadSchema: mediaJobPayloadSchema,
  maxAttempts: IMPORT_MAX_ATTEMPTS,
  handler: wiredAtStartup,
});

/** POSTs the finished Job to the webhook URL given with the import. */
export const mediaJobWebhookJob = defineJob({
  name: 'media.job_webhook',
  payloadSchema: mediaJobPayloadSchema,
  maxAttempts: JOB_WEBHOOK_MAX_ATTEMPTS,
  backoff: exponentialBackoff({ baseMs: 2000, maxMs: 10 * 60_000 }),
  handler: wiredAtStartup,
});

/** Removes an imported file once it may no longer be used. */
export const expireImportedFileJob = defineJob({
  name: 'media.expire_imported_file',
  payloadSchema: mediaJobPayloadSchema,
  maxAttempts: 5,
  handler: wiredAtStartup,
});

export function withMediaHandler<TDefinition extends { handler: unknown }>(
  definition: TDefinition,
  handler: (payload: MediaJobPayload, ctx: JobContext) => Promise<void>,
): TDefinition {
  return { ...definition, handler };
}

/** Sixteen hex digits, upper case like CALLR's ids. */
function newPublicId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

/**
 * Stores the file, then records the job and queues its work in one transaction: a job a client
 * can read always has its file and its work queued. The file is removed again if that fails.
 */
export async function startFileImport(
  deps: { db: Db; storage: BlobStorage },
  input: { accountId: number; bytes: Buffer; webhookUrl: string | null },
): Promise<MediaJobRow> {
  const blobKey = `media-imports/${input.accountId}/${randomUUID()}`;
  await deps.storage.put(blobKey, input.bytes, { contentType: 'application/octet-stream' });
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(mediaJobs)
        .values({
          accountId: input.accountId,
          publicId: newPublicId(),
          kind: 'import_file',
          blobKey,
          webhookUrl: input.webhookUrl,
        })
        .returning();
      if (!row) throw new Error('media job insert returned no row');
      await enqueue(
        tx,
        importFileJob,
        { accountId: input.accountId, mediaJobId: row.id },
        { accountId: input.accountId },
      );
      return row;
    });
  } catch (error) {
    await deps.storage.delete(blobKey);
    throw error;
  }
}

/** A job of the account by its public id; another account's job is not found. */
export async function getMediaJob(db: Db, accountId: number, publicId: string): Promise<MediaJobRow> {
  const [row] = await db
    .select()
    .from(mediaJobs)
    .where(and(eq(mediaJobs.accountId, accountId), eq(mediaJobs.publicId, publicId.toUpperCase())));
  if (!row) throw notFound('Job');
  return row;
}

export async function loadMediaJob(db: Db, payload: MediaJobPayload): Promise<MediaJobRow | null> {
  const [row] = await db
    .select()
    .from(mediaJobs)
    .where(and(eq(mediaJobs.accountId, payload.accountId), eq(mediaJobs.id, payload.mediaJobId)));
  return row ?? null;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** CALLR's `datetime`: "YYYY-MM-DD HH:MM:SS" in UTC. */
function dateTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(
    date.getUTCHours(),
  )}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** CALLR's `Job` object, as `jobs.get` answers and the import webhook posts it. */
export interface JobView {
  done_at: string;
  error: Record<string, unknown>;
  id: string;
  percent: string;
  result: Record<string, unknown>;
  status: string;
}

/** Not done yet: `done_at` is "" and `error` / `result` are {} (the seed's types have no null). */
export function mediaJobView(row: MediaJobRow): JobView {
  return {
    done_at: row.doneAt === null ? '' : dateTime(row.doneAt),
    error: row.error ?? {},
    id: row.publicId,
    percent: row.percent.toFixed(2),
    result: row.result,
    status: row.status,
  };
}
