import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { publicUrl } from '../../platform/config.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { notFound } from '../../platform/errors.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import {
  getInbox,
  isInboxMember,
  listInboxes,
  listInboxesByIds,
  listInboxIdsOfMember,
} from '../../core/inboxes/inboxes.js';
import type { InboxRow } from '../../core/inboxes/inboxes.tables.js';
import { createInbox } from '../../core/inboxes/create-inbox.js';
import { updateInbox } from '../../core/inboxes/update-inbox.js';
import { deleteInbox } from '../../core/inboxes/delete-inbox.js';
import { findInboxAgentBot, setInboxAgentBot } from '../../core/inboxes/set-inbox-agent-bot.js';
import { chatwootAccess } from './access.js';
import {
  accountParams,
  accountResourceParams,
  chatwootErrors,
  chatwootId,
  sendEmptyOk,
} from './admin-schemas.js';
import { chatwootInboxSchema, toChatwootInbox } from './serializers/inbox.js';
import { chatwootAgentBotSchema, toChatwootAgentBot } from './serializers/agent-bot.js';
import { inboxCreateBody, inboxUpdateBody, toChannelSettings, toInboxSettings } from './inbox-input.js';
import { registerInboxMembersRoutes } from './inbox-members.routes.js';

const tags = ['Inboxes'];

/** Administrators and account keys see every inbox; agents see the inboxes they answer. */
async function visibleInboxes(ctx: AppContext, access: AccountAccess): Promise<InboxRow[]> {
  if (isAdministrator(access) || access.principal.kind !== 'user')
    return listInboxes(ctx.db, access.accountId);
  const ids = await listInboxIdsOfMember(ctx.db, access.accountId, access.principal.userId);
  return listInboxesByIds(ctx.db, access.accountId, ids);
}

async function canSeeInbox(ctx: AppContext, access: AccountAccess, inboxId: number): Promise<boolean> {
  if (isAdministrator(access) || access.principal.kind !== 'user') return true;
  return isInboxMember(ctx.db, access.accountId, inboxId, access.principal.userId);
}

export function registerInboxesRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/inboxes';
  const serialize = (row: InboxRow, access: AccountAccess) =>
    toChatwootInbox(row, { baseUrl: publicUrl(ctx.config), isAdministrator: isAdministrator(access) });
  const admin = (request: FastifyRequest, accountId: number) =>
    chatwootAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  // An API inbox's callback URL; empty or null clears it, so there is nothing to check.
  const checkCallbackUrl = async (url: string | null | undefined) => {
    if (url) await assertDeliverableUrl(url, { policy, field: 'webhook_url', path: 'channel.webhook_url' });
  };

  // The seed spells the list and create paths with a trailing slash; clients use both.
  for (const path of [base, `${base}/`]) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'List all inboxes',
          params: accountParams,
          response: { 200: z.object({ payload: z.array(chatwootInboxSchema) }), ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id);
        const rows = await visibleInboxes(ctx, access);
        return { payload: rows.map((row) => serialize(row, access)) };
      },
    );

    app.post(
      path,
      {
        schema: {
          tags,
          summary: 'Create an inbox',
          params: accountParams,
          body: inboxCreateBody,
          response: { 200: chatwootInboxSchema, ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await admin(request, request.params.account_id);
        const { channel, ...body } = request.body;
        await checkCallbackUrl(channel.webhook_url);
        const row = await createInbox(
          ctx.db,
          {
            ...toInboxSettings(request.body),
            name: body.name,
            accountId: access.accountId,
            channelType: channel.type,
            channelSettings: toChannelSettings(channel),
          },
          access.actor,
        );
        return serialize(row, access);
      },
    );
  }

  for (const path of [`${base}/:id`, `${base}/:id/`]) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'Get an inbox',
          params: accountResourceParams,
          response: { 200: chatwootInboxSchema, ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id);
        const row = await getInbox(ctx.db, access.accountId, request.params.id);
        // Agents outside the inbox get the same 404 as for an inbox that does not exist.
        if (!(await canSeeInbox(ctx, access, row.id))) throw notFound('Inbox');
        return serialize(row, access);
      },
    );

    app.patch(
      path,
      {
        schema: {
          tags,
          summary: 'Update an inbox',
          params: accountResourceParams,
          body: inboxUpdateBody,
          response: { 200: chatwootInboxSchema, ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await admin(request, request.params.account_id);
        await checkCallbackUrl(request.body.channel?.webhook_url);
        const row = await updateInbox(
          ctx.db,
          access.accountId,
          request.params.id,
          { ...toInboxSettings(request.body), channelSettings: toChannelSettings(request.body.channel) },
          access.actor,
        );
        return serialize(row, access);
      },
    );

    // Not in the seed; Chatwoot's API has it and answers 200 with an empty body.
    app.delete(
      path,
      {
        schema: {
          tags,
          summary: 'Delete an inbox with its conversations',
          params: accountResourceParams,
          response: { 200: z.null(), ...chatwootErrors },
        },
      },
      async (request, reply) => {
        const access = await admin(request, request.params.account_id);
        await deleteInbox(ctx.db, access.accountId, request.params.id, access.actor);
        return sendEmptyOk(reply);
      },
    );
  }

  app.get(
    `${base}/:id/agent_bot`,
    {
      schema: {
        tags,
        summary: "Show the inbox's agent bot (204 when none)",
        params: accountResourceParams,
        response: { 200: chatwootAgentBotSchema, 204: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const bot = await findInboxAgentBot(ctx.db, access.accountId, request.params.id);
      if (!bot) return reply.status(204).send(null);
      return reply.status(200).send(toChatwootAgentBot(bot));
    },
  );

  app.post(
    `${base}/:id/set_agent_bot`,
    {
      schema: {
        tags,
        summary: 'Bind an agent bot to the inbox, or unbind it with null',
        params: accountResourceParams,
        body: z.object({ agent_bot: chatwootId.nullable() }),
        response: { 204: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.account_id);
      await setInboxAgentBot(
        ctx.db,
        { accountId: access.accountId, inboxId: request.params.id, agentBotId: request.body.agent_bot },
        access.actor,
      );
      return reply.status(204).send(null);
    },
  );

  registerInboxMembersRoutes(app, ctx);
}
