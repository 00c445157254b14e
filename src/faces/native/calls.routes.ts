import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { getCall } from '../../core/calls/call-snapshot.js';
import { listCallsAfter, listCallTags, loadCallDetail } from '../../core/calls/call-library.js';
import { deleteCallRecording, deleteCallTranscript } from '../../core/calls/delete-call-data.js';
import { accountAccess } from '../shared/access.js';
import {
  callDetailSchema,
  callListItemSchema,
  callSchema,
  toCallDetailDto,
  toCallDto,
  toCallListItemDto,
} from './calls.map.js';
import { registerCallUploadRoute } from './calls-upload.routes.js';
import { accountParams, commonErrors, idParam } from './schemas.js';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/db/time-cursor.js';

const callParams = accountParams.extend({ callId: idParam });

/** A date (`2026-03-01`, the whole day in UTC) or an ISO 8601 instant with its offset. */
const dateOrInstant = z
  .string()
  .refine(
    (value) =>
      z.iso.date().safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success,
    {
      message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time with an offset',
    },
  );

const listQuery = z.object({
  userId: idParam.optional(),
  /** Calls that started on or after this (a date means from its first instant, UTC). */
  from: dateOrInstant.optional(),
  /** Calls that started on or before this (a date means until its last instant, UTC). */
  to: dateOrInstant.optional(),
  /** A call tag's id (GET /call-tags). */
  tag: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(200).optional(),
});

const DAY_MS = 24 * 60 * 60 * 1000;

function instantOf(value: string, end: 'start' | 'end'): Date {
  const isDate = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = new Date(isDate ? `${value}T00:00:00.000Z` : value);
  return isDate && end === 'end' ? new Date(instant.getTime() + DAY_MS - 1) : instant;
}

export function registerCallRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/calls/:callId';
  const tags = ['calls'];

  app.get(
    '/v1/accounts/:accountId/calls',
    {
      schema: {
        tags,
        summary: "The account's calls, newest start first",
        description:
          'Keyset pages: pass `nextCursor` as `cursor` for the next page (null on the last one). ' +
          'Filters: `userId` (the call owner), `from`/`to` (start date or instant, inclusive), `tag` (a call tag id).',
        params: accountParams,
        querystring: listQuery,
        response: {
          200: z.object({ data: z.array(callListItemSchema), nextCursor: z.string().nullable() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const query = request.query;
      const from = query.from === undefined ? undefined : instantOf(query.from, 'start');
      const to = query.to === undefined ? undefined : instantOf(query.to, 'end');
      if (from && to && from > to) {
        throw new DomainError('VALIDATION_FAILED', 'from must not be after to', [
          { path: 'from', message: 'must not be after to' },
        ]);
      }
      const page = await listCallsAfter(ctx.db, access.accountId, {
        filters: { userId: query.userId, from, to, tagId: query.tag },
        limit: query.limit,
        after: query.cursor === undefined ? null : decodeTimeCursor(query.cursor, { allowsNullTime: true }),
      });
      return {
        data: page.items.map((item) => toCallListItemDto(ctx.storage, item)),
        nextCursor: page.next ? encodeTimeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/v1/accounts/:accountId/call-tags',
    {
      schema: {
        tags,
        summary: "The account's call tags (the library's tag filter)",
        params: accountParams,
        response: {
          200: z.object({
            data: z.array(z.object({ id: z.number(), name: z.string(), color: z.string() })),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return { data: await listCallTags(ctx.db, access.accountId) };
    },
  );

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Get a call with its processing state, transcript, summary, highlights and topics',
        params: callParams,
        response: { 200: callDetailSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const call = await getCall(ctx.db, access.accountId, request.params.callId);
      return toCallDetailDto(ctx.storage, await loadCallDetail(ctx.db, call));
    },
  );

  registerCallUploadRoute(app, ctx);

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
      return toCallDto(ctx.storage, call);
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
      return toCallDto(ctx.storage, call);
    },
  );
}
