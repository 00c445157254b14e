import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  getContactEndpoint,
  listContactEndpoints,
  type ContactEndpoint,
} from '../../core/inboxes/contact-endpoints.js';
import { dixaAccess } from './access.js';

// EmailEndpoint and TelephonyEndpoint have no `_type` in the seed; the list's `_type` filter names them.
const emailEndpointSchema = z.object({
  address: z.string(),
  name: z.string().optional(),
  senderOverride: z.string().optional(),
});
const telephonyEndpointSchema = z.object({
  number: z.string(),
  name: z.string().optional(),
  functionality: z.array(z.enum(['Sms', 'VoiceInbound', 'VoiceOutbound'])).optional(),
});
const contactEndpointSchema = z.union([emailEndpointSchema, telephonyEndpointSchema]);

const endpointTypes = { EmailEndpoint: 'email', TelephonyEndpoint: 'telephony' } as const;

function toDixaEndpoint(endpoint: ContactEndpoint): z.infer<typeof contactEndpointSchema> {
  if (endpoint.kind === 'email') {
    return {
      address: endpoint.address,
      name: endpoint.name,
      ...(endpoint.senderName !== null && { senderOverride: endpoint.senderName }),
    };
  }
  return { number: endpoint.number, name: endpoint.name, functionality: endpoint.functionality };
}

/** Contact endpoints: the email addresses and phone numbers conversations arrive on. */
export function registerDixaContactEndpointRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['dixa'];

  app.get(
    '/v1/contact-endpoints',
    {
      schema: {
        tags,
        summary: 'List all available contact endpoints in an organization',
        querystring: z.object({ _type: z.enum(['EmailEndpoint', 'TelephonyEndpoint']).optional() }),
        response: { 200: z.object({ data: z.array(contactEndpointSchema) }) },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const type = request.query._type;
      const endpoints = await listContactEndpoints(ctx.db, access.accountId, {
        kind: type && endpointTypes[type],
      });
      return { data: endpoints.map(toDixaEndpoint) };
    },
  );

  app.get(
    '/v1/contact-endpoints/:contactEndpointId',
    {
      schema: {
        tags,
        summary: 'Get contact endpoint by id (email or phone number)',
        params: z.object({ contactEndpointId: z.string().min(1).max(320) }),
        response: { 200: z.object({ data: contactEndpointSchema }) },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const endpoint = await getContactEndpoint(ctx.db, access.accountId, request.params.contactEndpointId);
      return { data: toDixaEndpoint(endpoint) };
    },
  );
}
