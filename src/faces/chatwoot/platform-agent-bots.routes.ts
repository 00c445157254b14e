import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { DomainError } from '../../platform/errors.js';
import { findAccount } from '../../core/identity/accounts.js';
import {
  createAgentBot,
  deleteAgentBot,
  getAgentBot,
  listAgentBots,
  updateAgentBot,
} from '../../core/agent-bots/agent-bots.js';
import { requirePlatformApp } from './access.js';
import { chatwootErrors, chatwootId, sendEmptyOk } from './admin-schemas.js';
import { chatwootAgentBotSchema, toChatwootAgentBot } from './serializers/agent-bot.js';
import { agentBotBody, toAgentBotInput } from './agent-bot-input.js';

const tags = ['AgentBots'];
const platform = 'platform' as const;
const platformActor = { type: 'platform' } as const;
const botParams = z.object({ id: chatwootId });
/** Seed `platform_agent_bot_create_update_payload`: a bot may be tied to one account. */
const platformBotBody = agentBotBody.extend({ account_id: chatwootId.nullable().optional() });

/** Platform bots: without an account they serve any account that binds them; only the platform changes them. */
export function registerPlatformAgentBotsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/platform/api/v1/agent_bots';
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
        summary: 'List platform agent bots',
        response: { 200: z.array(chatwootAgentBotSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      return (await listAgentBots(ctx.db, platform)).map((bot) => toChatwootAgentBot(bot));
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a platform agent bot; its access token is shown once',
        body: platformBotBody.extend({ name: z.string().trim().min(1).max(255) }),
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const accountId = request.body.account_id ?? null;
      if (accountId !== null && !(await findAccount(ctx.db, accountId))) {
        throw new DomainError('VALIDATION_FAILED', `Account ${accountId} does not exist`, [
          { path: 'account_id', message: 'does not exist' },
        ]);
      }
      await checkOutgoingUrl(request.body.outgoing_url);
      const { bot, token } = await createAgentBot(
        ctx.db,
        { ...toAgentBotInput(request.body), name: request.body.name, accountId, isPlatformOwned: true },
        platformActor,
      );
      return toChatwootAgentBot(bot, token);
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get a platform agent bot',
        params: botParams,
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      return toChatwootAgentBot(await getAgentBot(ctx.db, platform, request.params.id));
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a platform agent bot',
        params: botParams,
        body: agentBotBody,
        response: { 200: chatwootAgentBotSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      await checkOutgoingUrl(request.body.outgoing_url);
      const bot = await updateAgentBot(
        ctx.db,
        platform,
        request.params.id,
        toAgentBotInput(request.body),
        platformActor,
      );
      return toChatwootAgentBot(bot);
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a platform agent bot',
        params: botParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      requirePlatformApp(request);
      await deleteAgentBot(ctx.db, platform, request.params.id, platformActor);
      return sendEmptyOk(reply);
    },
  );
}
