import { pipeline } from 'node:stream';
import { isOutboundError, type OutboundClient } from '../../../platform/outbound/guarded-fetch.js';
import { BlobTooLargeError, type BlobStorage } from '../../../platform/storage/blob-storage.js';
import { createHeadCheck } from '../../../platform/storage/head-check.js';
import { describeNonRecording, isRecordingContentType, RECORDING_HEAD_BYTES } from '../recording-content.js';
import { recordingKeyOf } from '../call-settings.js';
import type { CallRow } from '../calls.tables.js';

/** The download cannot succeed by trying again; the call fails with this message. */
export class RecordingRefusedError extends Error {
  override name = 'RecordingRefusedError';
}

/** Worth another attempt later (5xx, timeouts, network). */
export class RecordingUnreachableError extends Error {
  override name = 'RecordingUnreachableError';
}

const RETRYABLE_CODES = new Set(['timeout', 'connect_failed', 'dns_failed', 'protocol_error']);

export interface DownloadedRecording {
  key: string;
  size: number;
  contentType: string;
}

/**
 * Streams the recording from the customer's URL into storage through the SSRF guard: every hop's
 * address is checked, redirects re-checked, the size capped while streaming (nothing is stored past
 * the cap) and the whole exchange bounded in time.
 */
export async function downloadRecording(
  deps: { outbound: OutboundClient; storage: BlobStorage; maxBytes: number },
  call: CallRow,
  signal: AbortSignal,
): Promise<DownloadedRecording> {
  const url = call.recordingSourceUrl;
  if (!url) throw new RecordingRefusedError('the call has no recording URL');
  const key = recordingKeyOf(call.accountId, call.id, call.recordingExtension);
  try {
    const response = await deps.outbound.stream({ method: 'GET', url, maxBytes: deps.maxBytes, signal });
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      response.body.destroy();
      throw new RecordingUnreachableError(`the recording URL answered HTTP ${response.status}`);
    }
    if (response.status < 200 || response.status >= 300) {
      response.body.destroy();
      throw new RecordingRefusedError(`the recording URL answered HTTP ${response.status}`);
    }
    const contentType =
      (response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() ?? '';
    if (!isRecordingContentType(contentType)) {
      response.body.destroy();
      throw new RecordingRefusedError(`the recording URL served ${contentType}, not audio`);
    }
    // A declared type is only a claim: a login page served as audio/mpeg is refused here, before
    // anything is stored (whether real audio is usable is the probe's call, later).
    const headCheck = createHeadCheck(RECORDING_HEAD_BYTES, async (head) => {
      const what = await describeNonRecording(head);
      if (what) throw new RecordingRefusedError(`the recording URL served ${what}, not audio`);
    });
    // pipeline (not pipe): whichever side fails, both streams and the connection are torn down.
    const checked = pipeline(response.body, headCheck, () => undefined);
    const stored = await deps.storage.put(key, checked, {
      contentType,
      maxBytes: deps.maxBytes,
    });
    return { key, size: stored.size, contentType };
  } catch (error) {
    throw classify(error, deps.maxBytes);
  }
}

function classify(error: unknown, maxBytes: number): Error {
  if (error instanceof RecordingRefusedError || error instanceof RecordingUnreachableError) return error;
  if (error instanceof BlobTooLargeError) {
    return new RecordingRefusedError(`the recording is too large (over ${maxBytes} bytes)`);
  }
  if (isOutboundError(error)) {
    if (error.code === 'too_large') {
      return new RecordingRefusedError(
        `the recording is too large (over ${maxBytes} bytes): ${error.message}`,
      );
    }
    if (error.code === 'blocked_address') {
      return new RecordingRefusedError(`the recording URL was refused: ${error.message}`);
    }
    if (RETRYABLE_CODES.has(error.code)) {
      return new RecordingUnreachableError(
        `the recording could not be downloaded (${error.code}): ${error.message}`,
      );
    }
    return new RecordingRefusedError(
      `the recording could not be downloaded (${error.code}): ${error.message}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
