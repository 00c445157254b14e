import { z } from 'zod';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { callStates, type CallRow } from '../../core/calls/calls.tables.js';
import type { CallDetail, CallListItem } from '../../core/calls/call-library.js';
import { iso, isoDate } from './schemas.js';

// A link to play the recording stays valid for an hour.
const RECORDING_LINK_SECONDS = 60 * 60;

export const callSchema = z.object({
  id: z.number(),
  title: z.string(),
  direction: z.enum(['inbound', 'outbound']).nullable(),
  provider: z.string(),
  externalId: z.string().nullable(),
  startedAt: isoDate.nullable(),
  durationSeconds: z.number(),
  language: z.string().nullable(),
  userId: z.number().nullable(),
  state: z.enum(callStates),
  failureReason: z.string().nullable(),
  recording: z
    .object({
      /** Signed, expiring, answers byte ranges (an <audio> element can seek). */
      url: z.string(),
      format: z.string().nullable(),
      contentType: z.string().nullable(),
      size: z.number().nullable(),
      durationSeconds: z.number().nullable(),
      channels: z.number().nullable(),
    })
    .nullable(),
  recordingDeletedAt: isoDate.nullable(),
  transcriptDeletedAt: isoDate.nullable(),
  transcriptionEngine: z.string().nullable(),
  summary: z.string().nullable(),
  summarizedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** A library row: the call with its user, tags and contacts. */
export const callListItemSchema = callSchema.extend({
  user: z.object({ id: z.number(), name: z.string() }).nullable(),
  tags: z.array(z.object({ id: z.number(), name: z.string(), color: z.string() })),
  contacts: z.array(z.object({ id: z.number(), name: z.string() })),
});

const timedText = {
  speakerId: z.number().nullable(),
  startSeconds: z.number(),
  endSeconds: z.number(),
  text: z.string(),
};

/** A call's page: the row plus transcript (time-coded, with speaker names), highlights and topics. */
export const callDetailSchema = callListItemSchema.extend({
  transcript: z.array(z.object({ ...timedText, speaker: z.string() })),
  highlights: z.array(z.object({ ...timedText, speaker: z.string().nullable() })),
  topics: z.array(z.object({ name: z.string(), score: z.number(), startSeconds: z.number().nullable() })),
});

type UrlSigner = Pick<BlobStorage, 'signedUrl'>;

export function toCallDto(signer: UrlSigner, call: CallRow): z.infer<typeof callSchema> {
  const isRecordingReady = call.recordingKey !== null && call.state !== 'pending_upload';
  return {
    id: call.id,
    title: call.title,
    direction: call.direction,
    provider: call.provider,
    externalId: call.externalId,
    startedAt: iso(call.startedAt),
    durationSeconds: call.durationSeconds,
    language: call.language,
    userId: call.userId,
    state: call.state,
    failureReason: call.failureReason,
    recording:
      isRecordingReady && call.recordingKey
        ? {
            url: signer.signedUrl(call.recordingKey, {
              method: 'GET',
              expiresInSeconds: RECORDING_LINK_SECONDS,
            }),
            format: call.recordingFormat,
            contentType: call.recordingContentType,
            size: call.recordingSize,
            durationSeconds: call.recordingDurationSeconds,
            channels: call.recordingChannels,
          }
        : null,
    recordingDeletedAt: iso(call.recordingDeletedAt),
    transcriptDeletedAt: iso(call.transcriptDeletedAt),
    transcriptionEngine: call.transcriptionEngine,
    summary: call.summary,
    summarizedAt: iso(call.summarizedAt),
    createdAt: iso(call.createdAt),
    updatedAt: iso(call.updatedAt),
  };
}

export function toCallListItemDto(signer: UrlSigner, item: CallListItem): z.infer<typeof callListItemSchema> {
  return { ...toCallDto(signer, item.call), user: item.user, tags: item.tags, contacts: item.contacts };
}

export function toCallDetailDto(signer: UrlSigner, detail: CallDetail): z.infer<typeof callDetailSchema> {
  return {
    ...toCallListItemDto(signer, detail),
    transcript: detail.transcript,
    highlights: detail.highlights,
    topics: detail.topics,
  };
}
