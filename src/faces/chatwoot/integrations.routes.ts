import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { isAdministrator } from '../../core/identity/principal.js';
import {
  createIntegrationHook,
  deleteIntegrationHook,
  getIntegrationHook,
  listIntegrationApps,
  updateIntegrationHook,
  webhookApp,
  type IntegrationAppState,
  type IntegrationHookView,
  type WebhookHookSettings,
} from '../../core/integrations/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk } from './admin-schemas.js';
import { CHATWOOT_FORMAT } from './webhook-formats/index.js';
import { createHookBody, updateHookBody, webhookSettingsOf } from './integrations.input.js';

const tags = ['Integrations'];
const hookParams = accountParams.extend({ hook_id: chatwootId });

/**
 * Seed `integrations_hook`: ids as strings, `status` and `hook_type` as booleans (the seed's
 * types; `hook_type` true means an inbox hook, Rails' enum value 1).
 */
const hookSchema = z.object({
  id: z.string(),
  app_id: z.string(),
  inbox_id: z.string().optional(),
  account_id: z.string(),
  status: z.boolean(),
  hook_type: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
});

/** Seed `integrations_app`. */
const appSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  hook_type: z.string(),
  enabled: z.boolean(),
  allow_multiple_hooks: z.boolean(),
  hooks: z.array(z.record(z.string(), z.unknown())).optional(),
});

function settingsOf(view: IntegrationHookView): Record<string, unknown> {
  if (!view.webhook) return view.settings;
  return {
    url: view.webhook.url,
    ...(view.webhook.name !== null && { name: view.webhook.name }),
    subscriptions: view.webhook.events,
  };
}

function toChatwootHook(view: IntegrationHookView): z.infer<typeof hookSchema> {
  return {
    id: String(view.id),
    app_id: view.appId,
    ...(view.inboxId !== null && { inbox_id: String(view.inboxId) }),
    account_id: String(view.accountId),
    status: view.isEnabled,
    hook_type: view.inboxId !== null,
    settings: settingsOf(view),
  };
}

/** Chatwoot shows an app's hooks to administrators only. */
function toChatwootApp(state: IntegrationAppState, showsHooks: boolean): z.infer<typeof appSchema> {
  return {
    id: state.app.id,
    name: state.app.name,
    description: state.app.description,
    hook_type: state.app.hookType,
    enabled: state.isEnabled,
    allow_multiple_hooks: state.app.allowMultipleHooks,
    ...(showsHooks && { hooks: state.hooks.map(toChatwootHook) }),
  };
}

export function registerIntegrationsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/integrations';
  const admin = (request: FastifyRequest, accountId: number) =>
    chatwootAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  const newSecret = () =>
    ctx.webhooks.formats.get(CHATWOOT_FORMAT)?.generateSecret() ?? randomBytes(24).toString('base64url');
  const vetted = async (settings: WebhookHookSettings) => {
    await assertDeliverableUrl(settings.url, { policy, field: 'url', path: 'settings.url' });
    return settings;
  };

  app.get(
    `${base}/apps`,
    {
      schema: {
        tags,
        summary: "List the integration apps Parley runs, with the account's state",
        params: accountParams,
        response: { 200: z.object({ payload: z.array(appSchema) }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const states = await listIntegrationApps(ctx.db, access.accountId);
      return { payload: states.map((state) => toChatwootApp(state, isAdministrator(access))) };
    },
  );

  app.post(
    `${base}/hooks`,
    {
      schema: {
        tags,
        summary: 'Connect an integration app (a webhook hook delivers through the webhook engine)',
        params: accountParams,
        body: createHookBody,
        response: { 200: hookSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.account_id);
      const { body } = request;
      const isWebhook = body.app_id === webhookApp.id;
      const webhook = isWebhook ? await vetted(webhookSettingsOf(body.settings)) : undefined;
      const secret = newSecret();
      const view = await createIntegrationHook(
        ctx.db,
        {
          accountId: access.accountId,
          appId: body.app_id,
          inboxId: body.inbox_id,
          isEnabled: body.status,
          webhook: webhook && { ...webhook, secret },
        },
        access.actor,
      );
      const hook = toChatwootHook(view);
      // As with account webhooks, the signing secret is shown once, when the hook is made.
      return webhook ? { ...hook, settings: { ...hook.settings, secret } } : hook;
    },
  );

  app.patch(
    `${base}/hooks/:hook_id`,
    {
      schema: {
        tags,
        summary: 'Switch an integration hook on or off, or replace its settings',
        params: hookParams,
        body: updateHookBody,
        response: { 200: hookSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.account_id);
      const current = await getIntegrationHook(ctx.db, access.accountId, request.params.hook_id);
      const { settings, status } = request.body;
      const webhook =
        settings !== undefined && current.appId === webhookApp.id
          ? await vetted(webhookSettingsOf(settings))
          : undefined;
      const view = await updateIntegrationHook(
        ctx.db,
        access.accountId,
        current.id,
        { isEnabled: status, webhook },
        access.actor,
      );
      return toChatwootHook(view);
    },
  );

  app.delete(
    `${base}/hooks/:hook_id`,
    {
      schema: {
        tags,
        summary: 'Delete an integration hook',
        params: hookParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.account_id);
      await deleteIntegrationHook(ctx.db, access.accountId, request.params.hook_id, access.actor);
      return sendEmptyOk(reply);
    },
  );
}
