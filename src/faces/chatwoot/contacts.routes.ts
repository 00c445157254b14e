import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import { createContact, getContact, updateContact } from '../../core/contacts/contacts.js';
import { ensureContactInbox, listContactInboxes } from '../../core/contacts/contact-inboxes.js';
import { deleteContact } from '../../core/contacts/delete-contact.js';
import {
  listContactsPage,
  searchContactsPage,
  resolvedContacts,
  type ContactPage,
} from '../../core/contacts/list-contacts.js';
import { contactFilterWhere } from '../../core/filters/contact-filter.js';
import { loadCustomAttributeTypes } from '../../core/filters/custom-attribute-filter.js';
import { filterPayloadSchema } from '../../core/filters/filter-payload.js';
import { chatwootAccess } from './access.js';
import {
  accountParams,
  accountResourceParams,
  chatwootErrors,
  emptyBody,
  sendEmptyOk,
} from './admin-schemas.js';
import { contactCreateBody, contactUpdateBody, toContactFields } from './contact-input.js';
import { registerContactRelationsRoutes } from './contact-relations.routes.js';
import { chatwootContactSchema, toChatwootContact, type ChatwootContact } from './serializers/contact.js';
import { withCustomPlans } from '../../platform/db/named-statements.js';

const tags = ['Contacts'];

const listQuery = z.object({
  sort: z.string().max(50).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

/** Seed `contacts_list_response`; `current_page` is a string there, as Chatwoot echoes the param. */
const contactListResponse = z.object({
  meta: z.object({ count: z.number(), current_page: z.string() }),
  payload: z.array(chatwootContactSchema),
});

/**
 * Seed `extended_contact` / `contact_base`: the contact's fields at the top level (with its id),
 * and the `contact` schema's `payload` list holding the same contact.
 */
const contactWithPayload = chatwootContactSchema.extend({ payload: z.array(chatwootContactSchema) });

export function registerContactsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/contacts';

  async function serialize(rows: ContactRow[], accountId: number): Promise<ChatwootContact[]> {
    const addresses = await listContactInboxes(
      ctx.db,
      accountId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => toChatwootContact(row, addresses));
  }
  async function serializePage(page: ContactPage, accountId: number) {
    return {
      meta: { count: page.count, current_page: String(page.page) },
      payload: await serialize(page.rows, accountId),
    };
  }
  async function serializeOne(row: ContactRow): Promise<ChatwootContact> {
    const [contact] = await serialize([row], row.accountId);
    if (!contact) throw new Error('contact serialization failed');
    return contact;
  }
  async function withPayload(row: ContactRow) {
    const contact = await serializeOne(row);
    return { ...contact, payload: [contact] };
  }

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List contacts',
        params: accountParams,
        querystring: listQuery,
        response: { 200: contactListResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const page = await listContactsPage(ctx.db, { where: resolvedContacts(accountId), ...request.query });
      return serializePage(page, accountId);
    },
  );

  app.get(
    `${base}/search`,
    {
      schema: {
        tags,
        summary: 'Search contacts by name, email, phone number or identifier',
        params: accountParams,
        querystring: listQuery.extend({ q: z.string().max(255).default('') }),
        response: { 200: contactListResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      // Planned for the words searched: a generic plan cannot tell a rare name from a common one.
      const page = await withCustomPlans(() => searchContactsPage(ctx.db, { accountId, ...request.query }));
      return serializePage(page, accountId);
    },
  );

  app.post(
    `${base}/filter`,
    {
      schema: {
        tags,
        summary: 'Filter contacts',
        params: accountParams,
        querystring: listQuery,
        body: filterPayloadSchema,
        response: { 200: contactListResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const types = await loadCustomAttributeTypes(ctx.db, accountId, 'contact');
      const where = contactFilterWhere(accountId, request.body, types);
      const page = await listContactsPage(ctx.db, { where, ...request.query });
      return serializePage(page, accountId);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a contact (and its address in an inbox when inbox_id is given)',
        params: accountParams,
        body: contactCreateBody,
        response: { 200: contactWithPayload, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const { inbox_id: inboxId, ...body } = request.body;
      const row = await ctx.db.transaction(async (tx) => {
        const contact = await createContact(tx, {
          ...toContactFields(body),
          accountId: access.accountId,
          actor: access.actor,
        });
        if (inboxId !== undefined) {
          await ensureContactInbox(tx, { accountId: access.accountId, contactId: contact.id, inboxId });
        }
        return contact;
      });
      return withPayload(row);
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get a contact',
        params: accountResourceParams,
        response: { 200: z.object({ payload: chatwootContactSchema }), ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const row = await getContact(ctx.db, accountId, request.params.id);
      const [payload] = await serialize([row], accountId);
      if (!payload) throw new Error('contact serialization failed');
      return { payload };
    },
  );

  // The seed documents 204 with a body, which HTTP cannot carry; Chatwoot answers 200 with the contact.
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route({
      method,
      url: `${base}/:id`,
      schema: {
        tags,
        summary: 'Update a contact',
        params: accountResourceParams,
        body: contactUpdateBody,
        response: { 200: contactWithPayload, ...chatwootErrors },
      },
      handler: async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id);
        const row = await ctx.db.transaction((tx) =>
          updateContact(tx, {
            ...toContactFields(request.body),
            accountId: access.accountId,
            id: request.params.id,
            actor: access.actor,
          }),
        );
        return withPayload(row);
      },
    });
  }

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a contact and its conversations',
        params: accountResourceParams,
        response: { 200: emptyBody, ...chatwootErrors },
      },
    },
    async (request, reply) => {
      // Chatwoot's contact policy lets only administrators delete contacts.
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      await ctx.db.transaction((tx) =>
        deleteContact(tx, { accountId: access.accountId, id: request.params.id, actor: access.actor }),
      );
      return sendEmptyOk(reply);
    },
  );

  registerContactRelationsRoutes(app, ctx, { serialize: serializeOne });
}
