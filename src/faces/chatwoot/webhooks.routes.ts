import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { FastifyRequest } from 'fastify';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from '../../core/webhooks/subscriptions.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { chatwootAccess } from './access.js';
import { CHATWOOT_FORMAT } from './webhook-formats/index.js';
import { accountParams, chatwootErrors, chatwootId, sendEmptyOk } from './admin-schemas.js';

/** The events a Chatwoot account webhook can subscribe to (seed `webhook_create_update_payload`). */
export const chatwootWebhookEvents = [
  'conversation_created',
  'conversation_status_changed',
  'conversation_updated',
  'message_created',
  'message_updated',
  'contact_created',
  'contact_updated',
  'webwidget_triggered',
] as const;

const tags = ['Webhooks'];
const webhookParams = accountParams.extend({ webhook_id: chatwootId });

/** Seed `webhook`. */
const webhookSchema = z.object({
  id: z.number(),
  url: z.string(),
  // The seed's name is a string: a webhook without one leaves it out.
  name: z.string().optional(),
  subscriptions: z.array(z.enum(chatwootWebhookEvents)),
  account_id: z.number(),
});

const urlInput = z
  .string()
  .max(2000)
  .refine(
    (value) => {
      try {
        const { protocol } = new URL(value);
        return protocol === 'http:' || protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be a valid http(s) URL' },
  );

const subscriptionsInput = z
  .array(z.string())
  .max(chatwootWebhookEvents.length * 2)
  .superRefine((names, context) => {
    const unknown = names.filter((name) => !(chatwootWebhookEvents as readonly string[]).includes(name));
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `contains unknown events: ${unknown.join(', ')}` });
    }
  });

const createBody = z.object({
  url: urlInput,
  name: z.string().max(255).nullable().optional(),
  subscriptions: subscriptionsInput.optional(),
});
const updateBody = createBody.partial();

function toChatwoot(row: WebhookSubscriptionRow): z.infer<typeof webhookSchema> {
  return {
    id: row.id,
    url: row.url,
    name: row.name ?? undefined,
    subscriptions: row.events.filter((name): name is (typeof chatwootWebhookEvents)[number] =>
      (chatwootWebhookEvents as readonly string[]).includes(name),
    ),
    account_id: row.accountId,
  };
}

/** Without `subscriptions` a Chatwoot webhook gets every event; the list is stored explicitly. */
function eventsOf(subscriptions: string[] | undefined): string[] {
  return [...new Set(subscriptions && subscriptions.length > 0 ? subscriptions : chatwootWebhookEvents)];
}

export function registerWebhooksRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/webhooks';
  const admin = (request: FastifyRequest, accountId: number) =>
    chatwootAccess(ctx.db, request, accountId, { isAdminOnly: true });
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  const newSecret = () =>
    ctx.webhooks.formats.get(CHATWOOT_FORMAT)?.generateSecret() ?? randomBytes(24).toString('base64url');

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List all webhooks',
        params: accountParams,
        response: { 200: z.array(webhookSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.account_id);
      const page = await listSubscriptions(ctx.db, {
        accountId: access.accountId,
        format: CHATWOOT_FORMAT,
        limit: 500,
      });
      return page.items.map(toChatwoot).reverse();
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Add a webhook; its signing secret is shown once',
        params: accountParams,
        body: createBody,
        response: { 200: webhookSchema.extend({ secret: z.string() }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.account_id);
      await assertDeliverableUrl(request.body.url, { policy, field: 'url' });
      const row = await createSubscription(
        ctx.db,
        {
          accountId: access.accountId,
          format: CHATWOOT_FORMAT,
          url: request.body.url,
          name: request.body.name ?? null,
          events: eventsOf(request.body.subscriptions),
          secret: newSecret(),
        },
        { actor: access.actor },
      );
      return { ...toChatwoot(row), secret: row.secret };
    },
  );

  app.patch(
    `${base}/:webhook_id`,
    {
      schema: {
        tags,
        summary: 'Update a webhook',
        params: webhookParams,
        body: updateBody,
        response: { 200: webhookSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.account_id);
      await getSubscription(ctx.db, access.accountId, request.params.webhook_id, CHATWOOT_FORMAT);
      const { url, name, subscriptions } = request.body;
      if (url !== undefined) await assertDeliverableUrl(url, { policy, field: 'url' });
      const row = await updateSubscription(
        ctx.db,
        access.accountId,
        request.params.webhook_id,
        {
          url,
          name,
          events: subscriptions === undefined ? undefined : eventsOf(subscriptions),
        },
        { actor: access.actor },
      );
      return toChatwoot(row);
    },
  );

  app.delete(
    `${base}/:webhook_id`,
    {
      schema: {
        tags,
        summary: 'Delete a webhook',
        params: webhookParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.account_id);
      // Only Chatwoot-format subscriptions are this API's webhooks; callback and bot ones are not.
      await getSubscription(ctx.db, access.accountId, request.params.webhook_id, CHATWOOT_FORMAT);
      await deleteSubscription(ctx.db, access.accountId, request.params.webhook_id, { actor: access.actor });
      return sendEmptyOk(reply);
    },
  );
}
