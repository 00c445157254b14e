import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import {
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyView,
} from '../../core/identity/api-keys.js';

const apiKeySchema = z.object({
  id: z.number(),
  name: z.string(),
  role: z.enum(['administrator', 'agent']),
  tokenPrefix: z.string(),
  createdByUserId: z.number().nullable(),
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  createdAt: isoDate,
});

const keyParams = accountParams.extend({ keyId: idParam });

function toDto(key: ApiKeyView): z.infer<typeof apiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    tokenPrefix: key.tokenPrefix,
    createdByUserId: key.createdByUserId,
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
    createdAt: iso(key.createdAt),
  };
}

export function registerApiKeyRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: "List the account's API keys (administrators)",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(apiKeySchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const page = await listApiKeys(ctx.db, {
        accountId: access.accountId,
        beforeId: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts/:accountId/api-keys',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Issue an API key; the token is shown once (administrators)',
        params: accountParams,
        body: z.object({
          name: z.string().trim().min(1).max(100),
          role: z.enum(['administrator', 'agent']).default('administrator'),
        }),
        response: { 201: apiKeySchema.extend({ token: z.string() }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const createdByUserId = access.principal.kind === 'user' ? access.principal.userId : undefined;
      const created = await createApiKey(
        ctx.db,
        { accountId: access.accountId, ...request.body, createdByUserId },
        access.actor,
      );
      return reply.status(201).send({ ...toDto(created.apiKey), token: created.token });
    },
  );

  app.get(
    '/v1/accounts/:accountId/api-keys/:keyId',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Get an API key',
        params: keyParams,
        response: { 200: apiKeySchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return toDto(await getApiKey(ctx.db, access.accountId, request.params.keyId));
    },
  );

  app.delete(
    '/v1/accounts/:accountId/api-keys/:keyId',
    {
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key (administrators)',
        params: keyParams,
        response: { 200: apiKeySchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      return toDto(await revokeApiKey(ctx.db, access.accountId, request.params.keyId, access.actor));
    },
  );
}
