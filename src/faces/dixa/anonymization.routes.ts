import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { AnonymizationRequestRow } from '../../core/anonymization/anonymization.tables.js';
import type { AnonymizationEntity } from '../../core/anonymization/anonymization-targets.js';
import {
  getAnonymizationRequest,
  requestAnonymization,
} from '../../core/anonymization/request-anonymization.js';
import { dixaAccess } from './access.js';
import { uuidParams, uuidSchema } from './schemas.js';

// Dixa conversation ids are integers: the conversation's per-account number (display_id).
const conversationId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const booleanQuery = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);
const forceQuery = z.object({ force: booleanQuery.optional() });

// AnonymizationRequestStatus. `entityType` (DeprecatedAnonymizationType) is a oneOf of empty
// objects, replaced by `_type`: it is sent as the empty object the schema describes.
const anonymizationRequestStatusSchema = z.object({
  id: z.string(),
  _type: z.enum(['Conversation', 'Message', 'User']),
  entityType: z.object({}),
  initiatedAt: z.string(),
  processedAt: z.string().optional(),
  requestedBy: z.string(),
  targetEntityId: z.string(),
});
const anonymizeEntityOutputSchema = z.object({ data: anonymizationRequestStatusSchema });

function toRequestStatus(row: AnonymizationRequestRow): z.infer<typeof anonymizationRequestStatusSchema> {
  return {
    id: row.id,
    _type: row.entityType,
    entityType: {},
    initiatedAt: row.initiatedAt.toISOString(),
    ...(row.processedAt && { processedAt: row.processedAt.toISOString() }),
    requestedBy: row.requestedBy,
    targetEntityId: row.targetEntityId,
  };
}

/** Anonymization requests for end users, conversations and messages. */
export function registerDixaAnonymizationRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['dixa'];
  // The work is a job: the request is accepted (202) and can be followed by its id.
  const accept = async (
    request: Parameters<typeof dixaAccess>[1],
    entity: AnonymizationEntity,
    isForced: boolean,
  ) => {
    const access = await dixaAccess(ctx, request, { isAdminOnly: true });
    const row = await requestAnonymization(ctx.db, {
      accountId: access.accountId,
      entity,
      isForced,
      actor: access.actor,
    });
    return { data: toRequestStatus(row) };
  };

  app.patch(
    '/v1/endusers/:userId/anonymize',
    {
      schema: {
        tags,
        summary: 'Request the anonymization of an end user',
        params: uuidParams('userId'),
        querystring: forceQuery,
        response: { 202: anonymizeEntityOutputSchema },
      },
    },
    async (request, reply) => {
      const entity = { type: 'User', userUuid: request.params.userId } as const;
      return reply.status(202).send(await accept(request, entity, request.query.force ?? false));
    },
  );

  app.patch(
    '/v1/conversations/:conversationId/anonymize',
    {
      schema: {
        tags,
        summary: 'Request the anonymization of a conversation',
        params: z.object({ conversationId }),
        querystring: forceQuery,
        response: { 202: anonymizeEntityOutputSchema },
      },
    },
    async (request, reply) => {
      const entity = { type: 'Conversation', conversationDisplayId: request.params.conversationId } as const;
      return reply.status(202).send(await accept(request, entity, request.query.force ?? false));
    },
  );

  app.patch(
    '/v1/conversations/:conversationId/messages/:messageId/anonymize',
    {
      schema: {
        tags,
        summary: 'Request the anonymization of a single message in a conversation',
        params: z.object({ conversationId, messageId: uuidSchema }),
        response: { 202: anonymizeEntityOutputSchema },
      },
    },
    async (request, reply) => {
      const entity = {
        type: 'Message',
        conversationDisplayId: request.params.conversationId,
        messageUuid: request.params.messageId,
      } as const;
      return reply.status(202).send(await accept(request, entity, false));
    },
  );

  app.get(
    '/v1/anonymization/request/:requestId',
    {
      schema: {
        tags,
        summary: 'Retrieve an anonymization request submitted earlier (user or conversation)',
        params: z.object({ requestId: uuidSchema }),
        response: { 200: anonymizeEntityOutputSchema },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request, { isAdminOnly: true });
      const row = await getAnonymizationRequest(ctx.db, access.accountId, request.params.requestId);
      return { data: toRequestStatus(row) };
    },
  );
}
