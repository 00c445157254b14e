import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import { createEndUser, getEndUser, updateEndUser } from '../../core/contacts/end-users.js';
import { patchEndUserCustomAttributes } from '../../core/contacts/end-user-custom-attributes.js';
import { listEndUsers } from '../../core/contacts/list-end-users.js';
import { listDefinitions } from '../../core/custom-attributes/custom-attribute-definitions.js';
import { dixaAccess } from './access.js';
import {
  dixaAttributePatchSchema,
  dixaCustomAttributeSchema,
  toDixaCustomAttributes,
} from './custom-attribute.map.js';
import { registerDixaEndUserBulkRoutes } from './endusers-bulk.routes.js';
import { registerDixaEndUserConversationRoutes } from './enduser-conversations.routes.js';
import {
  dixaEndUserSchema,
  endUserInputSchema,
  endUserReplacementSchema,
  inDixaTermsOf,
  toDixaEndUser,
  toEndUserFields,
} from './enduser.map.js';
import { keysetPosition } from './enduser-pages.js';
import { DEFAULT_PAGE_LIMIT, pageMeta, pageQuerySchema } from './pagination.js';
import { dataOf, uuidParams } from './schemas.js';

const tags = ['Dixa end users'];
const endUserOutput = z.object({ data: dixaEndUserSchema });
const userParams = uuidParams('userId');

/** The seed names the filters `email`, `phone` and `externalId`; email and phone exclude each other. */
const listQuery = pageQuerySchema.extend({
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  externalId: z.string().max(255).optional(),
});

/** End users: list, create (single and bulk), patch and update (single and bulk), conversations, custom attributes. */
export function registerDixaEndUserRoutes(app: TypedApp, ctx: AppContext): void {
  async function render(accountId: number, rows: ContactRow[]) {
    const definitions = await listDefinitions(ctx.db, accountId, 'contact');
    return rows.map((row) => toDixaEndUser(row, definitions));
  }
  async function renderOne(row: ContactRow) {
    const [endUser] = await render(row.accountId, [row]);
    if (!endUser) throw new Error('end user rendering failed');
    return dataOf(endUser);
  }

  app.get(
    '/v1/endusers',
    {
      schema: {
        tags,
        summary: 'List end users, optionally by email, phone number or external id',
        querystring: listQuery,
        response: {
          200: z.object({
            data: z.array(dixaEndUserSchema),
            meta: z.object({ next: z.string().optional(), previous: z.string().optional() }),
          }),
        },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const { pageKey, pageLimit, email, phone, externalId } = request.query;
      const page = await listEndUsers(ctx.db, {
        accountId,
        filter: { email, phoneNumber: phone, identifier: externalId },
        limit: pageLimit ?? DEFAULT_PAGE_LIMIT,
        position: keysetPosition(pageKey),
      });
      return { data: await render(accountId, page.items), meta: pageMeta(request, page) };
    },
  );

  app.post(
    '/v1/endusers',
    {
      schema: {
        tags,
        summary: 'Create an end user',
        body: endUserInputSchema,
        response: { 201: endUserOutput },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const row = await inDixaTermsOf(
        ctx.db.transaction((tx) =>
          createEndUser(tx, {
            accountId: access.accountId,
            fields: toEndUserFields(request.body),
            actor: access.actor,
          }),
        ),
      );
      return reply.status(201).send(await renderOne(row));
    },
  );

  app.get(
    '/v1/endusers/:userId',
    {
      schema: {
        tags,
        summary: 'Get an end user by id',
        params: userParams,
        response: { 200: endUserOutput },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      return renderOne(await getEndUser(ctx.db, accountId, request.params.userId));
    },
  );

  // PATCH changes the fields it names; PUT (seed UpdateEndUserInput, displayName required) replaces
  // the profile, clearing what it leaves out.
  for (const [method, body] of [
    ['PATCH', endUserInputSchema],
    ['PUT', endUserReplacementSchema],
  ] as const) {
    app.route({
      method,
      url: '/v1/endusers/:userId',
      schema: {
        tags,
        summary: method === 'PATCH' ? 'Patch an end user' : 'Update an end user',
        params: userParams,
        body,
        response: { 200: endUserOutput },
      },
      handler: async (request) => {
        const access = await dixaAccess(ctx, request);
        const row = await inDixaTermsOf(
          ctx.db.transaction((tx) =>
            updateEndUser(tx, {
              accountId: access.accountId,
              uuid: request.params.userId,
              fields: toEndUserFields(request.body),
              isReplacement: method === 'PUT',
              actor: access.actor,
            }),
          ),
        );
        return renderOne(row);
      },
    });
  }

  app.patch(
    '/v1/endusers/:userId/custom-attributes',
    {
      schema: {
        tags,
        summary: 'Patch custom attributes of an end user',
        params: userParams,
        body: dixaAttributePatchSchema,
        response: { 200: z.object({ data: z.array(dixaCustomAttributeSchema) }) },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const row = await ctx.db.transaction((tx) =>
        patchEndUserCustomAttributes(tx, {
          accountId: access.accountId,
          uuid: request.params.userId,
          patch: request.body,
          actor: access.actor,
        }),
      );
      const definitions = await listDefinitions(ctx.db, access.accountId, 'contact');
      return dataOf(toDixaCustomAttributes(row.customAttributes, definitions));
    },
  );

  registerDixaEndUserBulkRoutes(app, ctx, render);
  registerDixaEndUserConversationRoutes(app, ctx);
}
