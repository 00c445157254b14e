import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { getAccount, updateAccount } from '../../core/identity/accounts.js';
import { getUser } from '../../core/identity/users.js';
import { listUserAccountMemberships } from '../../core/identity/profile.js';
import { principalOf } from '../shared/access.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';
import { chatwootAccountSchema, toChatwootAccount } from './serializers/account.js';
import { chatwootUserSchema, toChatwootUser } from './serializers/user.js';

/** Seed `account_update_payload`. */
const accountUpdateBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  locale: z.string().min(2).max(10).optional(),
  domain: z.string().max(255).nullable().optional(),
  support_email: z.email().max(320).nullable().optional(),
  auto_resolve_after: z.number().int().min(10).max(1_439_856).nullable().optional(),
  auto_resolve_message: z.string().max(5000).nullable().optional(),
  auto_resolve_ignore_waiting: z.boolean().nullable().optional(),
  industry: z.string().max(255).optional(),
  company_size: z.string().max(255).optional(),
  timezone: z.string().max(100).optional(),
});

type AccountUpdateBody = z.infer<typeof accountUpdateBody>;

function definedEntries(value: object): Record<string, unknown> | undefined {
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Auto-resolve options live in settings; industry, size and timezone in custom attributes, as in Chatwoot. */
function toAccountInput(body: AccountUpdateBody) {
  const { auto_resolve_after, auto_resolve_message, auto_resolve_ignore_waiting } = body;
  return {
    name: body.name,
    locale: body.locale,
    domain: body.domain,
    supportEmail: body.support_email,
    settings: definedEntries({ auto_resolve_after, auto_resolve_message, auto_resolve_ignore_waiting }),
    customAttributes: definedEntries({
      industry: body.industry,
      company_size: body.company_size,
      timezone: body.timezone,
    }),
  };
}

/** The token the caller presented, in any of the headers the Chatwoot face reads. */
function presentedToken(request: FastifyRequest): string | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const bearer = header('authorization')?.replace(/^Bearer\s+/i, '');
  return header('api_access_token') ?? header('api-access-token') ?? bearer;
}

export function registerAccountRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['Account'];

  app.get(
    '/api/v1/accounts/:account_id',
    {
      schema: {
        tags,
        summary: 'Get account details',
        params: accountParams,
        response: { 200: chatwootAccountSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return toChatwootAccount(await getAccount(ctx.db, access.accountId));
    },
  );

  app.patch(
    '/api/v1/accounts/:account_id',
    {
      schema: {
        tags,
        summary: 'Update the account (administrators)',
        params: accountParams,
        body: accountUpdateBody,
        response: { 200: chatwootAccountSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const account = await updateAccount(
        ctx.db,
        access.accountId,
        toAccountInput(request.body),
        access.actor,
      );
      return toChatwootAccount(account);
    },
  );

  app.get(
    '/api/v1/profile',
    {
      schema: {
        tags: ['Profile'],
        summary: "The calling user's profile",
        response: { 200: chatwootUserSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        throw new DomainError('UNAUTHENTICATED', 'The profile needs a user access token');
      }
      const user = await getUser(ctx.db, principal.userId);
      const memberships = await listUserAccountMemberships(ctx.db, user.id);
      return toChatwootUser(user, memberships, presentedToken(request));
    },
  );
}
