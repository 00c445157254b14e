import type { Db } from '../../../platform/db/database.js';
import { enqueue, type JobContext } from '../../../platform/jobs/index.js';
import { findCall } from '../call-snapshot.js';
import { minimumCallSeconds } from '../call-settings.js';
import { processCallJob, type CallJobPayload } from '../calls.jobs.js';
import type { CallRow } from '../calls.tables.js';
import { NotAudioError } from '../engines.js';
import { downloadRecording, RecordingRefusedError } from './download-recording.js';
import { CallMovedOnError, failCall, transitionCall } from './call-transitions.js';
import { withLocalCopy } from './local-copy.js';
import type { CallPipelineDeps } from './pipeline-deps.js';
import { summarizeCall } from './summarize-call.js';
import { transcribeCall } from './transcribe-call.js';

/**
 * One pipeline step per job: the call's state names the step, each step commits its result, the
 * next state and the next job in one transaction guarded by the job's lease and the expected
 * state. A crash repeats at most the step in progress, which rewrites rather than appends.
 */
export function createProcessCallHandler(deps: CallPipelineDeps) {
  return async (payload: CallJobPayload, ctx: JobContext): Promise<void> => {
    const call = await findCall(deps.db, payload.accountId, payload.callId);
    try {
      if (!call) return await ctx.complete(() => Promise.resolve());
      await runStep(deps, call, ctx);
    } catch (error) {
      // Deleted or already advanced by another run: nothing left for this job to do.
      if (error instanceof CallMovedOnError) return ctx.complete(() => Promise.resolve());
      throw error;
    }
  };
}

async function runStep(deps: CallPipelineDeps, call: CallRow, ctx: JobContext): Promise<void> {
  switch (call.state) {
    case 'pending_download':
      return downloadStep(deps, call, ctx);
    case 'downloaded':
      return probeStep(deps, call, ctx);
    case 'transcribing':
      return transcribeCall(deps, call, ctx, next(deps, call));
    case 'transcribed':
    case 'summarizing':
      return summarizeCall(deps, call, ctx);
    default:
      // Awaiting its upload, finished or failed: a stray job has nothing to do.
      return ctx.complete(() => Promise.resolve());
  }
}

/** Queues the next step inside the transaction that commits this one. */
export function next(deps: CallPipelineDeps, call: CallRow) {
  return (tx: Db) =>
    enqueue(
      tx,
      processCallJob,
      { accountId: call.accountId, callId: call.id },
      { accountId: call.accountId, ...(deps.notifier && { notifier: deps.notifier }) },
    ).then(() => undefined);
}

async function downloadStep(deps: CallPipelineDeps, call: CallRow, ctx: JobContext): Promise<void> {
  try {
    const recording = await downloadRecording(
      { outbound: deps.outbound, storage: deps.storage, maxBytes: deps.maxRecordingBytes },
      call,
      ctx.signal,
    );
    await ctx.complete(async (tx) => {
      await transitionCall(tx, call, ['pending_download'], {
        state: 'downloaded',
        recordingKey: recording.key,
        recordingSize: recording.size,
        recordingContentType: recording.contentType,
        recordingSourceUrl: null,
      });
      await next(deps, call)(tx);
    });
  } catch (error) {
    const isLastAttempt = ctx.job.attempts >= ctx.job.maxAttempts;
    if (!(error instanceof RecordingRefusedError) && !isLastAttempt) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    await ctx.complete((tx) =>
      failCall(tx, call, ['pending_download'], reason, { recordingSourceUrl: null }),
    );
  }
}

/** Decodes the recording for real: non-audio and truncated files fail the call and are removed. */
async function probeStep(deps: CallPipelineDeps, call: CallRow, ctx: JobContext): Promise<void> {
  const key = call.recordingKey;
  if (!key) return ctx.complete((tx) => failCall(tx, call, ['downloaded'], 'the recording is missing'));
  let info;
  try {
    info = await withLocalCopy(deps.storage, key, (filePath) => deps.engines.audio.probe(filePath));
  } catch (error) {
    if (!(error instanceof NotAudioError)) throw error;
    await deps.storage.delete(key);
    return ctx.complete((tx) =>
      failCall(tx, call, ['downloaded'], `the recording is not usable audio: ${error.message}`, {
        recordingKey: null,
        recordingSize: null,
      }),
    );
  }
  const minimum = await minimumCallSeconds(deps.db, call.accountId);
  if (info.durationSeconds < minimum) {
    await deps.storage.delete(key);
    const reason = `the recording lasts ${info.durationSeconds.toFixed(1)} seconds, less than the account's minimum call duration (${minimum} seconds)`;
    return ctx.complete((tx) =>
      failCall(tx, call, ['downloaded'], reason, { recordingKey: null, recordingSize: null }),
    );
  }
  await ctx.complete(async (tx) => {
    await transitionCall(tx, call, ['downloaded'], {
      state: 'transcribing',
      // The measured length wins over the declared one.
      durationSeconds: info.durationSeconds,
      recordingFormat: info.format,
      recordingDurationSeconds: info.durationSeconds,
      recordingChannels: info.channels,
      recordingSampleRate: info.sampleRate,
    });
    await next(deps, call)(tx);
  });
}
