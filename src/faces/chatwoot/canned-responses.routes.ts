import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
  type CannedResponseRow,
} from '../../core/canned-responses/canned-responses.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, iso, sendEmptyOk } from './admin-schemas.js';

const tags = ['Canned Responses'];

/** Seed `canned_response`. */
const cannedResponseSchema = z.object({
  id: z.number().int(),
  account_id: z.number().int(),
  short_code: z.string(),
  content: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** Seed `canned_response_create_update_payload`. */
const shortCode = z.string().trim().min(1).max(255);
const content = z.string().min(1).max(20_000);

function toChatwoot(row: CannedResponseRow): z.infer<typeof cannedResponseSchema> {
  return {
    id: row.id,
    account_id: row.accountId,
    short_code: row.shortCode,
    content: row.content,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

/** Any agent lists and adds saved replies; changing or deleting one takes an administrator (Chatwoot's policy). */
export function registerCannedResponsesRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/canned_responses';

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List canned responses, optionally matching `search`',
        params: accountParams,
        querystring: z.object({ search: z.string().max(255).optional() }),
        response: { 200: z.array(cannedResponseSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return (await listCannedResponses(ctx.db, access.accountId, request.query.search)).map(toChatwoot);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add a canned response',
        params: accountParams,
        body: z.object({ short_code: shortCode, content }),
        response: { 200: cannedResponseSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const row = await createCannedResponse(
        ctx.db,
        { accountId: access.accountId, shortCode: request.body.short_code, content: request.body.content },
        access.actor,
      );
      return toChatwoot(row);
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a canned response',
        params: accountResourceParams,
        body: z.object({ short_code: shortCode.optional(), content: content.optional() }),
        response: { 200: cannedResponseSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const row = await updateCannedResponse(
        ctx.db,
        access.accountId,
        request.params.id,
        { shortCode: request.body.short_code, content: request.body.content },
        access.actor,
      );
      return toChatwoot(row);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a canned response',
        params: accountResourceParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await deleteCannedResponse(ctx.db, access.accountId, request.params.id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
