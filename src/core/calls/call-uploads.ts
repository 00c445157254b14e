import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { enqueue, type JobContext } from '../../platform/jobs/index.js';
import type { BlobStorage, StoredBlob } from '../../platform/storage/blob-storage.js';
import { findCall } from './call-snapshot.js';
import { parseRecordingKey, recordingKeyOf } from './call-settings.js';
import { processCallJob, type CallJobPayload } from './calls.jobs.js';
import { CallMovedOnError, failCall, transitionCall } from './pipeline/call-transitions.js';

/**
 * Hooks the signed-upload route calls for blob keys of call recordings. The signature already
 * proved the holder may PUT this key; these hooks make the link single-use and start the pipeline.
 */
export function createCallUploadHooks(deps: { db: Db; notifier?: (() => void) | undefined }) {
  return {
    /** Refuses a second upload to a call that already has its recording. */
    async beforeUpload(key: string): Promise<void> {
      const ids = parseRecordingKey(key);
      if (!ids) return;
      const call = await findCall(deps.db, ids.accountId, ids.callId);
      if (!call || call.state !== 'pending_upload') {
        throw new DomainError('FORBIDDEN', 'This upload link has already been used');
      }
    },
    /** The recording arrived: the call moves on and its processing is queued, in one transaction. */
    async afterUpload(blob: StoredBlob): Promise<void> {
      const ids = parseRecordingKey(blob.key);
      if (!ids) return;
      await startUploadedCall(deps.db, ids, blob, deps.notifier);
    },
  };
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
