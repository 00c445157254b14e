import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getCall } from '../../core/calls/call-snapshot.js';
import { deleteCallRecording, deleteCallTranscript } from '../../core/calls/delete-call-data.js';
import { callStates, type CallRow } from '../../core/calls/calls.tables.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';

const callParams = accountParams.extend({ callId: idParam });

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

function toDto(ctx: AppContext, call: CallRow): z.infer<typeof callSchema> {
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
            url: ctx.storage.signedUrl(call.recordingKey, {
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

export function registerCallRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/calls/:callId';
  const tags = ['calls'];

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Get a call with its processing state',
        params: callParams,
        response: { 200: callSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return toDto(ctx, await getCall(ctx.db, access.accountId, request.params.callId));
    },
  );

  app.delete(
    `${base}/recording`,
    {
      schema: {
        tags,
        summary: "Delete a call's recording (fires call.recording_deleted)",
        params: callParams,
        response: { 200: callSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const call = await deleteCallRecording(
        ctx.db,
        { storage: ctx.storage },
        { accountId: access.accountId, callId: request.params.callId, actor: access.actor },
      );
      return toDto(ctx, call);
    },
  );

  app.delete(
    `${base}/transcript`,
    {
      schema: {
        tags,
        summary: "Delete a call's transcript (fires call.transcript_deleted)",
        params: callParams,
        response: { 200: callSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const call = await deleteCallTranscript(ctx.db, {
        accountId: access.accountId,
        callId: request.params.callId,
        actor: access.actor,
      });
      return toDto(ctx, call);
    },
  );
}
