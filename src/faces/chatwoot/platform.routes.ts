import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { createAccount, findAccount, getAccount, updateAccount } from '../../core/identity/accounts.js';
import { deleteAccount } from '../../core/identity/account-deletion.js';
import {
  addMember,
  findMember,
  listMembers,
  removeMember,
  updateMember,
} from '../../core/identity/members.js';
import { getUser } from '../../core/identity/users.js';
import { requirePlatformApp } from './access.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk } from './admin-schemas.js';
import { chatwootPlatformAccountSchema, toChatwootPlatformAccount } from './serializers/account.js';
import { registerPlatformUsersRoutes } from './platform-users.routes.js';
import { registerPlatformAgentBotsRoutes } from './platform-agent-bots.routes.js';

const platformActor = { type: 'platform' } as const;
const role = z.enum(['administrator', 'agent']);

/** Seed `account_create_update_payload`; `limits` is accepted and kept in settings. */
const accountBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  locale: z.string().min(2).max(10).optional(),
  domain: z.string().max(255).nullable().optional(),
  support_email: z.email().max(320).nullable().optional(),
  status: z.enum(['active', 'suspended']).optional(),
  limits: jsonObject().optional(),
  custom_attributes: jsonObject().optional(),
});

const accountUserSchema = z.object({
  account_id: z.number().int(),
  user_id: z.number().int(),
  role: z.string(),
});

function toAccountInput(body: z.infer<typeof accountBody>) {
  return {
    name: body.name,
    locale: body.locale,
    domain: body.domain,
    supportEmail: body.support_email,
    status: body.status,
    settings: body.limits === undefined ? undefined : { limits: body.limits },
    customAttributes: body.custom_attributes,
  };
}

/** The Chatwoot platform API: answers only to the platform-app token (PARLEY_PLATFORM_TOKEN). */
export function registerPlatformRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/platform/api/v1/accounts';
  const tags = ['Accounts'];

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create an account',
        body: accountBody.extend({ name: z.string().trim().min(1).max(255) }),
        response: { 200: chatwootPlatformAccountSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const account = await createAccount(
        ctx.db,
        { ...toAccountInput(request.body), name: request.body.name },
        platformActor,
      );
      return toChatwootPlatformAccount(account);
    },
  );

  app.get(
    `${base}/:account_id`,
    {
      schema: {
        tags,
        summary: 'Get an account',
        params: accountParams,
        response: { 200: chatwootPlatformAccountSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      return toChatwootPlatformAccount(await getAccount(ctx.db, request.params.account_id));
    },
  );

  app.patch(
    `${base}/:account_id`,
    {
      schema: {
        tags,
        summary: 'Update an account',
        params: accountParams,
        body: accountBody,
        response: { 200: chatwootPlatformAccountSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const account = await updateAccount(
        ctx.db,
        request.params.account_id,
        toAccountInput(request.body),
        platformActor,
      );
      return toChatwootPlatformAccount(account);
    },
  );

  app.delete(
    `${base}/:account_id`,
    {
      schema: {
        tags,
        summary: 'Delete an account and everything in it',
        params: accountParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      requirePlatformApp(request);
      await deleteAccount(ctx.db, request.params.account_id);
      return sendEmptyOk(reply);
    },
  );

  registerAccountUsersRoutes(app, ctx);
  registerPlatformUsersRoutes(app, ctx);
  registerPlatformAgentBotsRoutes(app, ctx);
}

function registerAccountUsersRoutes(app: TypedApp, ctx: AppContext): void {
  const path = '/platform/api/v1/accounts/:account_id/account_users';
  const tags = ['Account Users'];

  app.get(
    path,
    {
      schema: {
        tags,
        summary: "List an account's users",
        params: accountParams,
        response: { 200: z.array(accountUserSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const account = await getAccount(ctx.db, request.params.account_id);
      const page = await listMembers(ctx.db, { accountId: account.id, limit: 10_000 });
      return page.items.map((member) => ({
        account_id: member.accountId,
        user_id: member.userId,
        role: member.role,
      }));
    },
  );

  app.post(
    path,
    {
      schema: {
        tags,
        summary: 'Add a user to the account, or change the role of one already in it',
        params: accountParams,
        body: z.object({ user_id: chatwootId, role }),
        response: { 200: accountUserSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const accountId = request.params.account_id;
      if (!(await findAccount(ctx.db, accountId))) throw new DomainError('NOT_FOUND', 'Account not found');
      await getUser(ctx.db, request.body.user_id);
      const input = { accountId, userId: request.body.user_id, role: request.body.role };
      const existing = await findMember(ctx.db, accountId, input.userId);
      const member = existing
        ? await updateMember(ctx.db, input, platformActor)
        : await addMember(ctx.db, input, platformActor);
      return { account_id: member.accountId, user_id: member.userId, role: member.role };
    },
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        summary: 'Remove a user from the account',
        params: accountParams,
        body: z.object({ user_id: chatwootId }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      requirePlatformApp(request);
      await removeMember(ctx.db, request.params.account_id, request.body.user_id, platformActor);
      return sendEmptyOk(reply);
    },
  );
}
