import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { ContactFields } from '../../core/contacts/contacts.js';
import {
  createClientContact,
  getClientInbox,
  updateClientContact,
  verifyIdentifierHash,
} from '../../core/public-client/client-contacts.js';
import { chatwootErrors } from './admin-schemas.js';
import {
  publicContactSchema,
  publicInboxSchema,
  toPublicContact,
  toPublicInbox,
} from './public/public-serializers.js';
import { registerPublicConversationRoutes } from './public/public-conversations.routes.js';
import { registerPublicMessageRoutes } from './public/public-messages.routes.js';
import { clientOf, contactParams, inboxParams, PUBLIC_BASE } from './public/public-client.js';
import { refuseBannedIps } from './public/ip-bans.js';
import { registerWidgetRealtimeRoutes } from './public/widget-realtime.routes.js';

const tags = ['Client API'];

/**
 * Seed `public_contact_create_update_payload`; every field is a string (or an object), so form
 * bodies need no coercion. The avatar file upload is not supported: `avatar_url` is.
 */
const contactBody = z.object({
  identifier: z.string().max(255).nullish(),
  identifier_hash: z.string().max(255).nullish(),
  email: z.string().max(255).nullish(),
  name: z.string().max(255).nullish(),
  phone_number: z.string().max(64).nullish(),
  avatar_url: z.url().max(2048).nullish(),
  custom_attributes: jsonObject().optional(),
});

function toContactFields(body: z.infer<typeof contactBody>): ContactFields {
  return {
    ...(body.identifier !== undefined && { identifier: body.identifier }),
    ...(body.email !== undefined && { email: body.email }),
    ...(body.name !== undefined && { name: body.name }),
    ...(body.phone_number !== undefined && { phoneNumber: body.phone_number }),
    ...(body.avatar_url !== undefined && { avatarUrl: body.avatar_url }),
    ...(body.custom_attributes !== undefined && { customAttributes: body.custom_attributes }),
  };
}

/**
 * Chatwoot's client API (`/public/api/v1/inboxes/{inbox_identifier}`): what a custom chat client
 * or the widget calls for a visitor, with no token. The inbox identifier names the account; the
 * contact identifier is the visitor's source id in that inbox.
 */
export function registerPublicRoutes(app: TypedApp, ctx: AppContext): void {
  refuseBannedIps(app, ctx);
  app.get(
    PUBLIC_BASE,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Get the details of an inbox',
        params: inboxParams,
        response: { 200: publicInboxSchema, ...chatwootErrors },
      },
    },
    async (request) => toPublicInbox(await getClientInbox(ctx.db, request.params.inbox_identifier)),
  );

  app.post(
    `${PUBLIC_BASE}/contacts`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Create a contact (visitor) in the inbox',
        params: inboxParams,
        body: contactBody.optional().default({}),
        response: { 200: publicContactSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const inbox = await getClientInbox(ctx.db, request.params.inbox_identifier);
      const isHmacVerified = verifyIdentifierHash(
        inbox,
        request.body.identifier,
        request.body.identifier_hash,
      );
      const client = await createClientContact(ctx.db, {
        inbox,
        fields: toContactFields(request.body),
        isHmacVerified,
        actor: { type: 'contact' },
      });
      return toPublicContact(client);
    },
  );

  app.get(
    `${PUBLIC_BASE}/contacts/:contact_identifier`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Get the contact',
        params: contactParams,
        response: { 200: publicContactSchema, ...chatwootErrors },
      },
    },
    async (request) => toPublicContact(await clientOf(ctx, request.params)),
  );

  app.patch(
    `${PUBLIC_BASE}/contacts/:contact_identifier`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Update the contact',
        params: contactParams,
        body: contactBody.optional().default({}),
        response: { 200: publicContactSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      // Without a new identifier in the body, the hash must sign the one the contact has.
      const identifier = request.body.identifier ?? client.contact.identifier;
      const isHmacVerified = verifyIdentifierHash(client.inbox, identifier, request.body.identifier_hash);
      const updated = await updateClientContact(ctx.db, client, {
        fields: toContactFields(request.body),
        isHmacVerified,
        actor: { type: 'contact', id: client.contact.id },
      });
      return toPublicContact(updated);
    },
  );

  registerPublicConversationRoutes(app, ctx);
  registerPublicMessageRoutes(app, ctx);
  registerWidgetRealtimeRoutes(app, ctx);
  // The agents' side of typing indicators lives with the contacts' (index.ts registers one function per file).
}
