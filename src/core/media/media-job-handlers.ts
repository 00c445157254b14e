import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { fileTypeFromBuffer } from 'file-type';
import type { AudioToolkit } from '../calls/audio/audio-toolkit.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { enqueue, PermanentJobError, type JobContext } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import { createOutboundClient, isOutboundError } from '../../platform/outbound/guarded-fetch.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { withWorkDir } from './media-audio.js';
import {
  expireImportedFileJob,
  IMPORTED_FILE_TTL_MS,
  loadMediaJob,
  mediaJobView,
  mediaJobWebhookJob,
  type MediaJobPayload,
} from './media-jobs.js';
import { mediaJobs, type MediaJobRow } from './media.tables.js';

export interface MediaJobDeps {
  config: Config;
  db: Db;
  storage: BlobStorage;
  audio: AudioToolkit;
  logger: Logger;
}

interface DetectedFile {
  mime: string;
  extension: string;
}

// Audio formats file-type reports outside audio/* that still carry sound.
const AUDIO_CONTAINERS = new Set(['application/ogg', 'application/vnd.ms-asf']);

/** What the bytes are, from their magic numbers; plain text (a CSV address book) is recognised too. */
async function detectFile(bytes: Buffer): Promise<DetectedFile> {
  const detected = await fileTypeFromBuffer(bytes.subarray(0, 4100));
  if (detected) return { mime: detected.mime, extension: detected.ext };
  const head = bytes.subarray(0, 64 * 1024);
  if (!head.includes(0) && !head.toString('utf8').includes('\uFFFD')) {
    const firstLine = head.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
    return /[,;\t]/.test(firstLine)
      ? { mime: 'text/csv', extension: 'csv' }
      : { mime: 'text/plain', extension: 'txt' };
  }
  return { mime: 'application/octet-stream', extension: 'bin' };
}

const mayBeAudio = (mime: string) =>
  mime.startsWith('audio/') ||
  mime.startsWith('video/') ||
  AUDIO_CONTAINERS.has(mime) ||
  mime === 'application/octet-stream';

async function setProgress(db: Db, row: MediaJobRow, percent: number): Promise<void> {
  await db
    .update(mediaJobs)
    .set({ status: 'RUNNING', percent, updatedAt: new Date() })
    .where(and(eq(mediaJobs.accountId, row.accountId), eq(mediaJobs.id, row.id)));
}

/** Ends the job (DONE, with its result or its error) and queues what follows, in the job's own transaction. */
async function finish(
  ctx: JobContext,
  row: MediaJobRow,
  outcome:
    { result: Record<string, unknown>; fileName: string } | { error: { code: string; message: string } },
): Promise<void> {
  const now = new Date();
  const payload = { accountId: row.accountId, mediaJobId: row.id };
  await ctx.complete(async (tx) => {
    const failed = 'error' in outcome;
    const fileExpiresAt = failed ? null : new Date(now.getTime() + IMPORTED_FILE_TTL_MS);
    await tx
      .update(mediaJobs)
      .set({
        status: 'DONE',
        percent: 100,
        doneAt: now,
        updatedAt: now,
        ...('error' in outcome
          ? { error: outcome.error }
          : { result: outcome.result, fileName: outcome.fileName, fileExpiresAt }),
      })
      .where(and(eq(mediaJobs.accountId, row.accountId), eq(mediaJobs.id, row.id)));
    // A failed import keeps nothing worth waiting a day for: its file goes at once.
    await enqueue(tx, expireImportedFileJob, payload, {
      accountId: row.accountId,
      ...(fileExpiresAt !== null && { runAt: fileExpiresAt }),
    });
    if (row.webhookUrl !== null) {
      await enqueue(tx, mediaJobWebhookJob, payload, { accountId: row.accountId });
    }
  });
}

/** Reads the staged file, recognises it, measures it when it is audio, and names it for later use. */
export async function runImportFile(deps: MediaJobDeps, payload: MediaJobPayload, ctx: JobContext) {
  const row = await loadMediaJob(deps.db, payload);
  if (row === null || row.status === 'DONE' || row.status === 'CANCELED') return;
  if (row.blobKey === null) {
    await finish(ctx, row, {
      error: { code: 'FILE_GONE', message: 'The imported file is no longer stored' },
    });
    return;
  }
  const blobKey = row.blobKey;
  try {
    await setProgress(deps.db, row, 10);
    const bytes = await deps.storage.get(blobKey);
    if (bytes.length === 0) {
      await finish(ctx, row, { error: { code: 'EMPTY_FILE', message: 'The file is empty' } });
      return;
    }
    const file = await detectFile(bytes);
    await setProgress(deps.db, row, 40);
    let durationSeconds = 0;
    if (mayBeAudio(file.mime)) {
      const probed = await withWorkDir(async (dir) => {
        const path = join(dir, `import.${file.extension}`);
        await writeFile(path, bytes);
        return deps.audio.probe(path, { signal: ctx.signal }).catch((error: unknown) => error as Error);
      });
      if (!(probed instanceof Error)) durationSeconds = probed.durationSeconds;
      else if (file.mime.startsWith('audio/')) {
        await finish(ctx, row, { error: { code: 'INVALID_AUDIO', message: probed.message } });
        return;
      }
    }
    await setProgress(deps.db, row, 90);
    const fileName = `import-${randomBytes(12).toString('hex')}.${file.extension}`;
    await finish(ctx, row, {
      fileName,
      result: {
        filename: fileName,
        size: bytes.length,
        mime_type: file.mime,
        duration: Math.round(durationSeconds),
      },
    });
  } catch (error) {
    // An infrastructure fault is retried; the last attempt tells the client instead of hanging RUNNING.
    if (ctx.job.attempts < ctx.job.maxAttempts) throw error;
    deps.logger.error({ err: error, mediaJobId: row.id }, 'media import failed');
    await finish(ctx, row, { error: { code: 'INTERNAL_ERROR', message: 'The file could not be imported' } });
  }
}

const WEBHOOK_USER_AGENT = 'Parley-Callr-Jobs/1.0';
const PERMANENT_CODES = new Set(['blocked_address', 'invalid_url']);

/** POSTs the Job object (as `jobs.get` shows it) to the import's webhook URL; non-2xx is retried. */
export async function runJobWebhook(deps: MediaJobDeps, payload: MediaJobPayload, ctx: JobContext) {
  const row = await loadMediaJob(deps.db, payload);
  if (row?.webhookUrl === null || row?.webhookUrl === undefined) return;
  // A client per delivery: these are rare, and nothing is left open between them.
  const outbound = createOutboundClient({
    allowlist: deps.config.PARLEY_OUTBOUND_ALLOWLIST,
    timeoutMs: deps.config.PARLEY_WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: 16 * 1024,
    maxRedirects: 0,
  });
  try {
    const response = await outbound.send({
      method: 'POST',
      url: row.webhookUrl,
      headers: { 'content-type': 'application/json', 'user-agent': WEBHOOK_USER_AGENT },
      body: JSON.stringify(mediaJobView(row)),
      signal: ctx.signal,
    });
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`the job webhook answered HTTP ${response.status}`);
    }
  } catch (error) {
    if (isOutboundError(error) && PERMANENT_CODES.has(error.code)) {
      throw new PermanentJobError(`${error.code}: ${error.message}`);
    }
    throw error;
  } finally {
    await outbound.close();
  }
}

/** Deletes an imported file whose time is up (or whose import failed). */
export async function runExpireImportedFile(deps: MediaJobDeps, payload: MediaJobPayload): Promise<void> {
  const row = await loadMediaJob(deps.db, payload);
  if (row?.blobKey === null || row?.blobKey === undefined) return;
  await deps.storage.delete(row.blobKey);
  await deps.db
    .update(mediaJobs)
    .set({ blobKey: null, updatedAt: new Date() })
    .where(and(eq(mediaJobs.accountId, row.accountId), eq(mediaJobs.id, row.id)));
}
