import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { enqueue, type JobContext } from '../../platform/jobs/index.js';
import {
  BlobContentRefusedError,
  type BlobStorage,
  type StoredBlob,
} from '../../platform/storage/blob-storage.js';
import { findCall } from './call-snapshot.js';
import { parseRecordingKey, recordingKeyOf } from './call-settings.js';
import { calls } from './calls.tables.js';
import { processCallJob, type CallJobPayload } from './calls.jobs.js';
import { CallMovedOnError, failCall, transitionCall } from './pipeline/call-transitions.js';
import { describeNonRecording, isRecordingContentType } from './recording-content.js';

/** An upload to a signed link, as the blob route describes it. */
interface RecordingUpload {
  key: string;
  contentType: string | undefined;
}

/**
 * Hooks the signed-upload route calls for blob keys of call recordings. The signature already
 * proved the holder may PUT this key; these hooks make the link single-use, refuse what is
 * obviously not a recording before it is stored, and start the pipeline.
 */
export function createCallUploadHooks(deps: { db: Db; notifier?: (() => void) | undefined }) {
  return {
    /** Refuses a declared type no recording has, then claims the link for this upload alone. */
    async beforeUpload(upload: RecordingUpload): Promise<void> {
      const ids = parseRecordingKey(upload.key);
      if (!ids) return;
      if (upload.contentType !== undefined && !isRecordingContentType(upload.contentType)) {
        throw new BlobContentRefusedError(
          `A call recording must be audio or video, not ${upload.contentType.split(';')[0] ?? ''}`,
        );
      }
      await claimUploadLink(deps.db, ids);
    },
    /** An HTML page or a PDF sent as audio/mpeg is refused before a byte of it is stored. */
    async checkHead(upload: RecordingUpload, head: Buffer): Promise<void> {
      if (!parseRecordingKey(upload.key)) return;
      const what = await describeNonRecording(head);
      if (what) throw new BlobContentRefusedError(`The upload is ${what}, not an audio or video recording`);
    },
    /** Nothing was stored: the link may be used again (until it expires). */
    async afterFailedUpload(upload: RecordingUpload): Promise<void> {
      const ids = parseRecordingKey(upload.key);
      if (!ids) return;
      await deps.db
        .update(calls)
        .set({ uploadClaimedAt: null })
        .where(
          and(
            eq(calls.accountId, ids.accountId),
            eq(calls.id, ids.callId),
            eq(calls.state, 'pending_upload'),
          ),
        );
    },
    /** The recording arrived: the call moves on and its processing is queued, in one transaction. */
    async afterUpload(blob: StoredBlob): Promise<void> {
      const ids = parseRecordingKey(blob.key);
      if (!ids) return;
      await startUploadedCall(deps.db, ids, blob, deps.notifier);
    },
  };
}

/**
 * One conditional UPDATE: of several concurrent uploads to one link, exactly one finds the claim
 * free. Checking the state first and storing after (as before) let all of them through.
 */
async function claimUploadLink(db: Db, ids: CallJobPayload): Promise<void> {
  const claimed = await db
    .update(calls)
    .set({ uploadClaimedAt: new Date() })
    .where(
      and(
        eq(calls.accountId, ids.accountId),
        eq(calls.id, ids.callId),
        eq(calls.state, 'pending_upload'),
        isNull(calls.uploadClaimedAt),
      ),
    )
    .returning({ id: calls.id });
  if (claimed.length > 0) return;
  const call = await findCall(db, ids.accountId, ids.callId);
  if (call?.state === 'pending_upload') {
    throw new DomainError('CONFLICT', 'An upload to this link is already in progress');
  }
  throw new DomainError('CONFLICT', 'This upload link has already been used');
}

async function startUploadedCall(
  db: Db,
  ids: CallJobPayload,
  blob: Pick<StoredBlob, 'key' | 'size' | 'contentType'>,
  notifier: (() => void) | undefined,
): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await transitionCall(tx, { accountId: ids.accountId, id: ids.callId }, ['pending_upload'], {
        state: 'downloaded',
        recordingKey: blob.key,
        recordingSize: blob.size,
        recordingContentType: blob.contentType,
        uploadExpiresAt: null,
      });
      await enqueue(tx, processCallJob, ids, { accountId: ids.accountId, ...(notifier && { notifier }) });
    });
  } catch (error) {
    if (!(error instanceof CallMovedOnError)) throw error;
  }
}

/**
 * Runs after the upload link expired. If the upload arrived but its hook was lost (a crash between
 * storing and queueing), processing starts now; if nothing arrived, the call fails and says why.
 */
export function createExpireUploadHandler(deps: {
  db: Db;
  storage: BlobStorage;
  notifier?: (() => void) | undefined;
}) {
  return async (payload: CallJobPayload, ctx: JobContext): Promise<void> => {
    const call = await findCall(deps.db, payload.accountId, payload.callId);
    if (!call || call.state !== 'pending_upload') return ctx.complete(() => Promise.resolve());
    const key = recordingKeyOf(call.accountId, call.id, call.recordingExtension);
    const stat = await deps.storage.stat(key);
    if (stat) {
      await startUploadedCall(
        deps.db,
        payload,
        { key, size: stat.size, contentType: stat.contentType },
        deps.notifier,
      );
      return ctx.complete(() => Promise.resolve());
    }
    await ctx.complete(async (tx) => {
      try {
        await failCall(
          tx,
          call,
          ['pending_upload'],
          'no recording was uploaded before the upload link expired',
        );
      } catch (error) {
        if (!(error instanceof CallMovedOnError)) throw error;
      }
    });
  };
}
