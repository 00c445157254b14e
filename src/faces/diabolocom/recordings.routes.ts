import { create as formatContentDisposition } from 'content-disposition';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { servedContentType, setBlobSecurityHeaders } from '../../platform/http/blob-headers.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { byteRangeOf } from '../../platform/http/byte-range.js';
import { calls } from '../../core/calls/calls.tables.js';
import { diabolocomAccess } from './access.js';
import { interactionNotFound } from './errors.js';

/**
 * `GET /api/v1/recordings/interactions/{interactionId}/content`: the call's recording (interactionId =
 * the call's id), with byte ranges so players can seek. Served with the platform's file headers
 * (nosniff, sandboxing CSP) and as an attachment: Diabolocom documents it as a download.
 */
export function registerDiabolocomRecordingsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/recordings/interactions/:interactionId/content',
    {
      schema: {
        tags: ['diabolocom'],
        summary: "Download a voice interaction's recording (audio/mpeg for dialer calls), Range supported",
        params: z.object({ interactionId: z.string().max(40) }),
      },
    },
    async (request, reply) => {
      setBlobSecurityHeaders(reply);
      const access = await diabolocomAccess(ctx, request);
      const { interactionId } = request.params;
      const callId = /^\d{1,15}$/.test(interactionId) ? Number(interactionId) : null;
      const [call] =
        callId === null
          ? []
          : await ctx.db
              .select({ key: calls.recordingKey, contentType: calls.recordingContentType })
              .from(calls)
              .where(
                and(
                  eq(calls.accountId, access.accountId),
                  eq(calls.id, callId),
                  isNull(calls.recordingDeletedAt),
                  ne(calls.state, 'pending_upload'),
                ),
              );
      const stat = call?.key ? await ctx.storage.stat(call.key) : null;
      if (!call?.key || !stat) throw interactionNotFound(interactionId);
      const contentType = servedContentType(call.contentType ?? stat.contentType);
      const extension = call.key.slice(call.key.lastIndexOf('.'));
      void reply
        .header('accept-ranges', 'bytes')
        .header(
          'content-disposition',
          formatContentDisposition(`interaction-${interactionId}${extension}`, { type: 'attachment' }),
        )
        .type(contentType);
      return sendRange(reply, ctx, call.key, stat.size, request.headers.range);
    },
  );
}

async function sendRange(
  reply: FastifyReply,
  ctx: AppContext,
  key: string,
  size: number,
  rangeHeader: string | undefined,
) {
  const range = byteRangeOf(rangeHeader, size);
  if (range === undefined) return reply.header('content-length', size).send(await ctx.storage.stream(key));
  if (range === null) {
    return reply
      .status(416)
      .header('content-range', `bytes */${size}`)
      .type('application/json')
      .send({
        status: 416,
        error: 'error.range.not.satisfiable',
        message: `The recording has ${size} bytes; the requested range is outside it`,
      });
  }
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
    .header('content-length', range.end - range.start + 1)
    .send(await ctx.storage.stream(key, range));
}
