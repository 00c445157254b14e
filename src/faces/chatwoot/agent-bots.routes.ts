import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import {
  createAgentBot,
  deleteAgentBot,
  getAgentBot,
  listAgentBots,
  updateAgentBot,
} from '../../core/agent-bots/agent-bots.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import { chatwootAgentBotSchema, toChatwootAgentBot } from './serializers/agent-bot.js';
import { agentBotBody, agentBotCreateBody, toAgentBotInput } from './agent-bot-input.js';

const tags = ['AgentBots'];

/** Account agent bots: the account's own, plus the platform's shared bots (read-only here). */
export function registerAgentBotsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/agent_bots';
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  // An empty or null outgoing_url clears it, so there is nothing to check.
  const checkOutgoingUrl = async (url: string | null | undefined) => {
    if (url) await assertDeliverableUrl(url, { policy, field: 'outgoing_url' });
  };

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List agent bots',
        params: accountParams,
        response: { 200: z.array(chatwootAgentBotSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const bots = await listAgentBots(ctx.db, { accountId: access.accountId });
      return bots.map((bot) => toChatwootAgentBot(bot));
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create an agent bot; its access token is shown once',
        params: accountParams,
        body: agentBotCreateBody,
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await checkOutgoingUrl(request.body.outgoing_url);
      const { bot, token } = await createAgentBot(
        ctx.db,
        {
          ...toAgentBotInput(request.body),
          name: request.body.name,
          accountId: access.accountId,
          isPlatformOwned: false,
        },
        access.actor,
      );
      return toChatwootAgentBot(bot, token);
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get an agent bot',
        params: accountResourceParams,
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return toChatwootAgentBot(
        await getAgentBot(ctx.db, { accountId: access.accountId }, request.params.id),
      );
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update an agent bot',
        params: accountResourceParams,
        body: agentBotBody,
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await checkOutgoingUrl(request.body.outgoing_url);
      const bot = await updateAgentBot(
        ctx.db,
        { accountId: access.accountId },
        request.params.id,
        toAgentBotInput(request.body),
        access.actor,
      );
      return toChatwootAgentBot(bot);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete an agent bot and unbind it from its inboxes',
        params: accountResourceParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await deleteAgentBot(ctx.db, { accountId: access.accountId }, request.params.id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
