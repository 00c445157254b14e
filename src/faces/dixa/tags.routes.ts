import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getConversationByDisplayId } from '../../core/conversations/index.js';
import {
  createLabel,
  getLabelByUuid,
  listLabels,
  listLabelsByNames,
  setLabelState,
  tagConversation,
  untagConversation,
  type LabelRow,
} from '../../core/labels/index.js';
import { dixaAccess } from './access.js';
import { dataOf, uuidParams } from './schemas.js';

/** Seed schema Tag: `color` is optional (omitted, never null); `state` is Active or Inactive. */
export const dixaTagSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().optional(),
  state: z.enum(['Active', 'Inactive']),
});
export type DixaTag = z.infer<typeof dixaTagSchema>;

export function toDixaTag(row: LabelRow): DixaTag {
  return {
    id: row.uuid,
    name: row.name,
    ...(row.color !== null && { color: row.color }),
    state: row.state === 'active' ? 'Active' : 'Inactive',
  };
}

const errorBody = z.object({ message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const tagOutput = z.object({ data: dixaTagSchema });
const tagsOutput = z.object({ data: z.array(dixaTagSchema) });
const createTagInput = z.object({
  name: z.string().trim().min(1).max(255),
  color: z.string().trim().min(1).max(64).optional(),
});
const tagParams = uuidParams('tagId');
// Dixa conversation ids are integers: Parley's per-account display id (the number Chatwoot shows).
const conversationId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const conversationParams = z.object({ conversationId });
const conversationTagParams = z.object({ conversationId, tagId: tagParams.shape.tagId });
const tags = ['dixa'];

/**
 * Tags, and tagging conversations. Status codes follow Dixa's public API reference where the seed
 * is silent: 201 for a created tag, 204 for state changes and (un)tagging, which answer no body.
 */
export function registerDixaTagRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/tags',
    {
      schema: { tags, summary: 'List all tags in an organization', response: { 200: tagsOutput, ...errors } },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      return dataOf((await listLabels(ctx.db, access.accountId)).map(toDixaTag));
    },
  );

  app.post(
    '/v1/tags',
    {
      schema: {
        tags,
        summary: 'Create a tag',
        body: createTagInput,
        response: { 201: tagOutput, ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request, { isAdminOnly: true });
      const row = await ctx.db.transaction((tx) =>
        createLabel(tx, {
          accountId: access.accountId,
          name: request.body.name,
          color: request.body.color,
          actor: access.actor,
        }),
      );
      return reply.status(201).send(dataOf(toDixaTag(row)));
    },
  );

  app.get(
    '/v1/tags/:tagId',
    {
      schema: {
        tags,
        summary: 'Get a tag by id',
        params: tagParams,
        response: { 200: tagOutput, ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      return dataOf(toDixaTag(await getLabelByUuid(ctx.db, access.accountId, request.params.tagId)));
    },
  );

  for (const [action, state] of [
    ['activate', 'active'],
    ['deactivate', 'inactive'],
  ] as const) {
    app.patch(
      `/v1/tags/:tagId/${action}`,
      {
        schema: {
          tags,
          summary: `${action === 'activate' ? 'Activate' : 'Deactivate'} a tag`,
          params: tagParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const access = await dixaAccess(ctx, request, { isAdminOnly: true });
        await ctx.db.transaction((tx) =>
          setLabelState(tx, {
            accountId: access.accountId,
            uuid: request.params.tagId,
            state,
            actor: access.actor,
          }),
        );
        return reply.status(204).send(null);
      },
    );
  }

  app.get(
    '/v1/conversations/:conversationId/tags',
    {
      schema: {
        tags,
        summary: 'Get the tags of a conversation',
        params: conversationParams,
        response: { 200: tagsOutput, ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const conversation = await getConversationByDisplayId(
        ctx.db,
        access.accountId,
        request.params.conversationId,
      );
      const rows = await listLabelsByNames(ctx.db, access.accountId, conversation.labels);
      return dataOf(rows.map(toDixaTag));
    },
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/v1/conversations/:conversationId/tags/:tagId',
      schema: {
        tags,
        summary: method === 'PUT' ? 'Tag a conversation (active tags only)' : 'Untag a conversation',
        params: conversationTagParams,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        const access = await dixaAccess(ctx, request);
        const { conversationId: displayId, tagId } = request.params;
        const conversation = await getConversationByDisplayId(ctx.db, access.accountId, displayId);
        const change = method === 'PUT' ? tagConversation : untagConversation;
        await ctx.db.transaction((tx) =>
          change(tx, {
            accountId: access.accountId,
            conversationId: conversation.id,
            labelUuid: tagId,
            actor: access.actor,
          }),
        );
        return reply.status(204).send(null);
      },
    });
  }
}
