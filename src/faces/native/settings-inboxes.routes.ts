import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { createAddressPolicy } from '../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../core/webhooks/deliverable-url.js';
import { getInbox } from '../../core/inboxes/inboxes.js';
import { createInbox } from '../../core/inboxes/create-inbox.js';
import { deleteInbox } from '../../core/inboxes/delete-inbox.js';
import { updateInbox } from '../../core/inboxes/update-inbox.js';
import { channelSettingsOf } from '../../core/inboxes/channel-settings.js';
import { channelTypes, type InboxRow } from '../../core/inboxes/inboxes.tables.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';

const tags = ['settings'];
const inboxParams = accountParams.extend({ inboxId: idParam });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => (value === '' ? undefined : value));

/** An optional http(s) URL; an empty field (a cleared form input) means none. */
const httpUrl = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .max(2000)
    .optional(),
);

/**
 * The two channels an administrator creates from the web app. The others (email, SMS, WhatsApp,
 * voice) need provider credentials and numbers and stay with their own APIs for now.
 */
const createInboxBody = z.discriminatedUnion('channelType', [
  z.strictObject({
    channelType: z.literal('web_widget'),
    name: z.string().trim().min(1).max(100),
    websiteUrl: httpUrl,
    widgetColor: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f5fbf')
      .optional(),
    welcomeTitle: optionalText(200),
  }),
  z.strictObject({
    channelType: z.literal('api'),
    name: z.string().trim().min(1).max(100),
    webhookUrl: httpUrl,
  }),
]);

/**
 * What the settings screen shows of an inbox. `identifier` is the public id the widget and the
 * Chatwoot client API address the inbox by (`data-inbox-token` in the embed snippet); secrets
 * (HMAC token, callback signing secret) are not part of it.
 */
const inboxDetailSchema = z.object({
  id: z.number(),
  name: z.string(),
  channelType: z.enum(channelTypes),
  identifier: z.string(),
  websiteUrl: z.string().nullable(),
  widgetColor: z.string().nullable(),
  webhookUrl: z.string().nullable(),
  /** The automatic first answer to a contact who starts a conversation (web widget, API). */
  greetingEnabled: z.boolean(),
  greetingMessage: z.string().nullable(),
  createdAt: isoDate,
});

const updateInboxBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    greetingEnabled: z.boolean().optional(),
    /** null or an empty string clears it. */
    greetingMessage: z
      .string()
      .trim()
      .max(2000)
      .nullable()
      .optional()
      .transform((value) => (value === '' ? null : value)),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'Give at least one of name, greetingEnabled, greetingMessage',
  });

function stringSetting(row: InboxRow, key: string): string | null {
  const value = channelSettingsOf(row)[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function toInboxDetail(row: InboxRow): z.infer<typeof inboxDetailSchema> {
  return {
    id: row.id,
    name: row.name,
    channelType: row.channelType,
    identifier: row.identifier,
    websiteUrl: stringSetting(row, 'websiteUrl'),
    widgetColor: stringSetting(row, 'widgetColor'),
    webhookUrl: stringSetting(row, 'webhookUrl'),
    greetingEnabled: row.greetingEnabled,
    greetingMessage: row.greetingMessage,
    createdAt: iso(row.createdAt),
  };
}

/**
 * Administrators create, inspect, edit and delete inboxes. The list stays `GET /inboxes`
 * (inbox-lists.routes.ts), which the inbox screen uses too.
 */
export function registerNativeSettingsInboxRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/inboxes';
  const policy = createAddressPolicy(ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  const admin = (request: Parameters<typeof accountAccess>[1], accountId: number) =>
    accountAccess(ctx.db, request, accountId, { isAdminOnly: true });

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create an API or web-widget inbox (administrators)',
        params: accountParams,
        body: createInboxBody,
        response: { 201: inboxDetailSchema, ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      const body = request.body;
      const channelSettings =
        body.channelType === 'api'
          ? { webhookUrl: body.webhookUrl ?? null }
          : { websiteUrl: body.websiteUrl, widgetColor: body.widgetColor, welcomeTitle: body.welcomeTitle };
      if (body.channelType === 'api' && body.webhookUrl) {
        // The same address vetting as every other callback target, so a private address is a 422 now
        // rather than a silent failure in the delivery log later.
        await assertDeliverableUrl(body.webhookUrl, { policy, field: 'webhookUrl', path: 'body.webhookUrl' });
      }
      const row = await createInbox(
        ctx.db,
        {
          accountId: access.accountId,
          name: body.name,
          channelType: body.channelType,
          channelSettings: Object.fromEntries(
            Object.entries(channelSettings).filter(([, value]) => value !== undefined),
          ),
        },
        access.actor,
      );
      return reply.status(201).send(toInboxDetail(row));
    },
  );

  app.get(
    `${base}/:inboxId`,
    {
      schema: {
        tags,
        summary: "An inbox's settings, with its public identifier (administrators)",
        params: inboxParams,
        response: { 200: inboxDetailSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      return toInboxDetail(await getInbox(ctx.db, access.accountId, request.params.inboxId));
    },
  );

  app.patch(
    `${base}/:inboxId`,
    {
      schema: {
        tags,
        summary: 'Rename an inbox or change its greeting (administrators)',
        params: inboxParams,
        body: updateInboxBody,
        response: { 200: inboxDetailSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await admin(request, request.params.accountId);
      const body = request.body;
      if (body.greetingEnabled === true && body.greetingMessage === null) {
        throw new DomainError('VALIDATION_FAILED', 'An enabled greeting needs a message', [
          { path: 'body.greetingMessage', message: 'is required when the greeting is enabled' },
        ]);
      }
      const row = await updateInbox(ctx.db, access.accountId, request.params.inboxId, body, access.actor);
      return toInboxDetail(row);
    },
  );

  app.delete(
    `${base}/:inboxId`,
    {
      schema: {
        tags,
        summary: 'Delete an inbox with its conversations (administrators)',
        params: inboxParams,
        response: { 204: z.null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      const access = await admin(request, request.params.accountId);
      await deleteInbox(ctx.db, access.accountId, request.params.inboxId, access.actor);
      return reply.status(204).send(null);
    },
  );
}
