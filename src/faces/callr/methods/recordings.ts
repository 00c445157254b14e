import { z } from 'zod';
import { mediaQuota } from '../../../core/media/media-quota.js';
import { describeNumber } from '../../../core/lookups/number-infos.js';
import {
  deleteRecordings,
  markRecordings,
  MAX_RECORDING_ACTION_IDS,
  type RecordingActionOutcome,
} from '../../../core/recordings/recording-actions.js';
import { tallyRecordings } from '../../../core/recordings/recording-overview.js';
import {
  recordingStatuses,
  recordingTypes,
  type Recording,
} from '../../../core/recordings/recording-query.js';
import {
  getRecording,
  MAX_RECORDINGS_PAGE,
  searchRecordings,
} from '../../../core/recordings/search-recordings.js';
import type { BlobStorage } from '../../../platform/storage/blob-storage.js';
import { callrDateTime, callrDateTimeParam, e164Param } from '../formats.js';
import { decodeHash, encodeHash } from '../hash-ids.js';
import { rpcErrorOf } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';

/**
 * CALLR's `Media.Recording.*`: the account's call recordings (the calls core's), their read marks,
 * overview and deletion, and `Media.Quota` for the library and recordings together.
 */

/** How long a recording's signed link stays valid. */
const RECORDING_URL_SECONDS = 60 * 60;

const recordingHash = z
  .string()
  .trim()
  .transform((value, context) => {
    const id = decodeHash('recording', value);
    if (id === null || id === 0) {
      context.addIssue({ code: 'custom', message: 'expected a recording hash' });
      return z.NEVER;
    }
    return id;
  });
const hashList = z.array(recordingHash).min(1).max(MAX_RECORDING_ACTION_IDS);

/** `Media.Recording.SearchFilters`; unknown keys are refused so a misspelt filter is not ignored. */
const filtersParam = z
  .strictObject({
    callid: z.int().min(1).optional(),
    cli_number: e164Param.optional(),
    date_from: callrDateTimeParam.optional(),
    date_to: callrDateTimeParam.optional(),
    duration_min: z.int().min(0).optional(),
    hash: recordingHash.optional(),
    read: z.boolean().optional(),
    read_at_from: callrDateTimeParam.optional(),
    read_at_to: callrDateTimeParam.optional(),
    status: z.enum(recordingStatuses).optional(),
    type: z.enum(recordingTypes).optional(),
  })
  .nullish()
  .transform((value) => value ?? {});

/** `Search.Options` {offset, quantity}, plus `after`: the last hash of the previous page (keyset). */
const optionsParam = z
  .strictObject({
    after: recordingHash.optional(),
    offset: z.int().min(0).max(10_000_000).optional(),
    quantity: z.int().min(1).max(MAX_RECORDINGS_PAGE).optional(),
  })
  .nullish()
  .transform((value) => value ?? {});

function toCallrRecording(recording: Recording, storage: Pick<BlobStorage, 'signedUrl'>) {
  const url =
    recording.blobKey === null
      ? ''
      : storage.signedUrl(recording.blobKey, { method: 'GET', expiresInSeconds: RECORDING_URL_SECONDS });
  const cli = recording.cdr?.cli ?? '';
  return {
    app_hash: recording.cdr?.appId == null ? '' : encodeHash('app', recording.cdr.appId),
    app_name: recording.cdr?.appName ?? '',
    callid: recording.cdr?.callid ?? 0,
    cli_name: '',
    cli_number: cli === 'BLOCKED' ? '' : cli,
    date: callrDateTime(recording.date),
    date_read: recording.readAt === null ? '' : callrDateTime(recording.readAt),
    did_hash: recording.did === null ? '' : encodeHash('did', recording.did.id),
    did_intl_number: recording.did?.number ?? '',
    did_local_number: recording.did === null ? '' : describeNumber(recording.did.number).nationalNumber,
    duration: recording.durationSeconds,
    file_size_total: recording.sizeBytes,
    hash: encodeHash('recording', recording.id),
    // Parley transcribes but does no entity, PII or sentiment analysis; no per-recording webhook.
    options: {
      feeds: 'both',
      locale: recording.language ?? '',
      ner: false,
      pii: false,
      sentiment: false,
      transcription: recording.isTranscribed,
      webhook: {},
    },
    read: recording.readAt !== null,
    status: recording.status,
    type: recording.type,
    url,
    url_exts: recording.extension === null ? [] : [recording.extension],
    url_mp3: recording.extension === 'mp3' ? url : '',
  };
}

/** `Media.Recording.ActionResult`: each failure with its JSON-RPC error code and message. */
function toActionResult(outcome: RecordingActionOutcome) {
  return {
    errors: outcome.failed.map(({ id, error }) => {
      const rpc = rpcErrorOf(error);
      return {
        code: rpc?.code ?? 0,
        hash: encodeHash('recording', id),
        message: rpc?.message ?? error.message,
      };
    }),
    success: outcome.succeeded.length,
  };
}

/** The seed's per-type objects: every recording Parley has is a call's. */
function perType<T>(ofCalls: T, empty: T) {
  return { CALL: ofCalls, CONFERENCE: empty, RECORDING: empty, VOICEMAIL: empty };
}

export const recordingsMethods: RpcMethod[] = [
  defineMethod({
    name: 'media/recording.get',
    params: [param('hash', recordingHash)],
    handler: async (call, [id]) =>
      toCallrRecording(await getRecording(call.ctx.db, call.access.accountId, id), call.ctx.storage),
  }),
  defineMethod({
    name: 'media/recording.search',
    params: [param('filters', filtersParam), param('options', optionsParam)],
    handler: async (call, [filters, options]) => {
      const { items, total } = await searchRecordings(
        call.ctx.db,
        call.access.accountId,
        {
          id: filters.hash,
          callid: filters.callid,
          cli: filters.cli_number,
          dateFrom: filters.date_from,
          dateTo: filters.date_to,
          minDurationSeconds: filters.duration_min,
          isRead: filters.read,
          readFrom: filters.read_at_from,
          readTo: filters.read_at_to,
          status: filters.status,
          type: filters.type,
        },
        { limit: options.quantity ?? 50, offset: options.offset ?? 0, after: options.after },
      );
      return { items: items.map((item) => toCallrRecording(item, call.ctx.storage)), total_items: total };
    },
  }),
  defineMethod({
    name: 'media/recording.get_overview',
    params: [],
    handler: async (call) => {
      const tally = await tallyRecordings(call.ctx.db, call.access.accountId);
      const status = (
        count: { ERROR: number; PROCESSING: number; READY: number },
        ready: typeof tally.ready,
      ) => ({
        count: { ...count, RECORDING: 0 },
        ready: {
          count: ready.count,
          read: ready.read,
          size: ready.sizeBytes,
          unread: ready.count - ready.read,
        },
      });
      const { byStatus } = tally;
      return perType(
        status(
          {
            ERROR: byStatus.ERROR,
            PROCESSING: byStatus.PENDING + byStatus.PROCESSING,
            READY: byStatus.READY,
          },
          tally.ready,
        ),
        status(
          { ERROR: 0, PROCESSING: 0, READY: 0 },
          { count: 0, read: 0, sizeBytes: 0, durationSeconds: 0 },
        ),
      );
    },
  }),
  defineMethod({
    name: 'media/recording.get_read_status',
    params: [],
    handler: async (call) => {
      const { all } = await tallyRecordings(call.ctx.db, call.access.accountId);
      return perType(
        { count: all.count, read: all.read, unread: all.count - all.read },
        { count: 0, read: 0, unread: 0 },
      );
    },
  }),
  defineMethod({
    name: 'media/recording.mark_as_read',
    params: [param('hashes', hashList)],
    handler: async (call, [ids]) =>
      toActionResult(await markRecordings(call.ctx.db, call.access.accountId, ids, true)),
  }),
  defineMethod({
    name: 'media/recording.mark_as_unread',
    params: [param('hashes', hashList)],
    handler: async (call, [ids]) =>
      toActionResult(await markRecordings(call.ctx.db, call.access.accountId, ids, false)),
  }),
  defineMethod({
    name: 'media/recording.delete',
    params: [param('hashes', hashList)],
    handler: async (call, [ids]) =>
      toActionResult(
        await deleteRecordings(call.ctx.db, call.ctx, {
          accountId: call.access.accountId,
          ids,
          actor: call.access.actor,
        }),
      ),
  }),
  defineMethod({
    name: 'media/library.get_quota',
    params: [],
    handler: async (call) => {
      const quota = await mediaQuota(call.ctx.db, call.access.accountId);
      return {
        count: quota.count,
        duration: quota.seconds,
        quota: { free: quota.quota.freeSeconds, paid: quota.quota.paidSeconds, unit: 'seconds' },
        status: {
          unit: 'seconds',
          unused: quota.status.unused,
          used: quota.status.used,
          used_by_library: quota.seconds.library,
          used_by_recording: quota.seconds.recording,
          used_free: quota.status.usedFree,
          used_paid: quota.status.usedPaid,
        },
      };
    },
  }),
];
