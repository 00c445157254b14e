import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp as NativeApp } from '../../platform/http/typed-app.js';
import { accountAccess, principalOf, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { createAccount, getAccount, listAccounts, updateAccount } from '../../core/identity/accounts.js';
import { actorOf } from '../../core/identity/principal.js';
import type { AccountRow } from '../../core/identity/identity.tables.js';

const accountSchema = z.object({
  id: z.number(),
  name: z.string(),
  locale: z.string(),
  status: z.enum(['active', 'suspended']),
  settings: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const accountInput = z.object({
  name: z.string().trim().min(1).max(200),
  locale: z.string().min(2).max(16).optional(),
  settings: jsonObject().optional(),
});

function toDto(account: AccountRow): z.infer<typeof accountSchema> {
  return { ...account, createdAt: iso(account.createdAt), updatedAt: iso(account.updatedAt) };
}

export function registerAccountRoutes(app: NativeApp, ctx: AppContext): void {
  app.post(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Create an account (platform token)',
        body: accountInput,
        response: { 201: accountSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      requirePlatform(request);
      const account = await createAccount(ctx.db, request.body, { type: 'platform' });
      return reply.status(201).send(toDto(account));
    },
  );

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'List the accounts the caller can reach',
        querystring: pageQuery,
        response: { 200: pageOf(accountSchema), ...commonErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { limit, cursor } = request.query;
      if (principal.kind === 'api_key') {
        const account = await getAccount(ctx.db, principal.accountId);
        return { data: cursor ? [] : [toDto(account)], nextCursor: null };
      }
      const userId = principal.kind === 'user' ? principal.userId : undefined;
      const page = await listAccounts(ctx.db, { userId, afterId: cursor, limit });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Get an account',
        params: accountParams,
        response: { 200: accountSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return toDto(await getAccount(ctx.db, access.accountId));
    },
  );

  app.patch(
    '/v1/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Update an account (administrators)',
        params: accountParams,
        body: accountInput.partial().extend({ status: z.enum(['active', 'suspended']).optional() }),
        response: { 200: accountSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const account = await updateAccount(ctx.db, access.accountId, request.body, actorOf(access.principal));
      return toDto(account);
    },
  );
}
