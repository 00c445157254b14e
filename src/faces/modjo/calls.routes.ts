import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createCall } from '../../core/calls/create-call.js';
import { exportCalls } from '../../core/calls/export-calls.js';
import type { CallTagRef } from '../../core/calls/resolve-call-participants.js';
import { modjoAccess } from './access.js';
import { paginationOf } from './pagination.js';
import {
  exportCallsBody,
  exportCallsResponse,
  uploadCallBody,
  uploadCallResponse,
  type UploadCallBody,
} from './schemas.js';
import { coreRelationsOf, toExportedCallDto } from './export-map.js';

// Export links to recordings stay valid for an hour, long enough to fetch a page's files.
const RECORDING_LINK_SECONDS = 60 * 60;

function tagRefsOf(tags: UploadCallBody['tags']): CallTagRef[] | null {
  if (tags === null) return null;
  return tags.map((tag) => ('modjoTagId' in tag ? { tagId: tag.modjoTagId } : tag));
}

export function registerModjoCallRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/calls',
    {
      schema: {
        tags: ['modjo'],
        summary: 'Upload a call',
        body: uploadCallBody,
        response: { 200: uploadCallResponse },
      },
    },
    async (request) => {
      const access = await modjoAccess(ctx, request);
      const body = request.body;
      const { uploadUrl } = await createCall(
        ctx.db,
        {
          accountId: access.accountId,
          actor: access.actor,
          title: body.name,
          startedAt: new Date(body.date),
          direction: body.direction,
          provider: body.provider,
          durationSeconds: body.duration,
          recordingExtension: body.fileExtension,
          recordingUrl: body.recordingUrl,
          contacts: body.contacts,
          users: body.users,
          tags: tagRefsOf(body.tags),
          crmAccount: body.account,
          crmDeal: body.deal,
        },
        { storage: ctx.storage, maxRecordingBytes: ctx.config.PARLEY_RECORDING_MAX_BYTES },
      );
      return uploadUrl === null ? { success: true } : { uploadTo: uploadUrl };
    },
  );

  app.post(
    '/v1/calls/exports',
    {
      schema: {
        tags: ['modjo'],
        summary: 'Export calls with their related data',
        body: exportCallsBody,
        response: { 201: exportCallsResponse },
      },
    },
    async (request, reply) => {
      const access = await modjoAccess(ctx, request);
      const { pagination, filters, relations } = request.body;
      const range = filters.callStartDateRange;
      const result = await exportCalls(ctx.db, {
        accountId: access.accountId,
        page: pagination.page,
        perPage: pagination.perPage,
        filters: {
          startedBetween: range ? { start: new Date(range.start), end: new Date(range.end) } : undefined,
          minimumDurationSeconds: filters.minimumCallDuration,
          titleContains: filters.callTitle,
          callIds: filters.callIds,
          isRecordingDeleted: filters.deletedRecording,
        },
        relations: coreRelationsOf(relations),
      });
      const recordingUrlOf = (key: string) =>
        ctx.storage.signedUrl(key, { method: 'GET', expiresInSeconds: RECORDING_LINK_SECONDS });
      return reply.status(201).send({
        pagination: paginationOf(pagination.page, pagination.perPage, result.total),
        values: result.items.map((item) => toExportedCallDto(item, relations, recordingUrlOf)),
      });
    },
  );
}
