import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { isAdministrator, type AccountAccess } from '../../core/identity/principal.js';
import type { ContactRow } from '../../core/contacts/contacts.tables.js';
import { getContact } from '../../core/contacts/contacts.js';
import { ensureContactInbox } from '../../core/contacts/contact-inboxes.js';
import { listContactableInboxes } from '../../core/contacts/contactable-inboxes.js';
import { listContactConversations } from '../../core/contacts/contact-conversations.js';
import { setContactLabels } from '../../core/contacts/contact-labels.js';
import { mergeContacts } from '../../core/contacts/merge-contacts.js';
import { getInbox, listInboxIdsOfMember } from '../../core/inboxes/inboxes.js';
import { loadConversationViews } from '../../core/conversations/conversation-views.js';
import { chatwootAccess } from './access.js';
import { accountParams, accountResourceParams, chatwootErrors, chatwootId } from './admin-schemas.js';
import {
  chatwootContactInboxSchema,
  chatwootContactSchema,
  toChatwootInboxContact,
} from './serializers/contact.js';
import { chatwootConversationSchema, toChatwootConversation } from './serializers/conversation.js';

const tags = ['Contacts'];
const labelsResponse = z.object({ payload: z.array(z.string()) });

/** Agents see the conversations of the inboxes they answer; administrators and keys see all. */
async function visibleInboxIds(ctx: AppContext, access: AccountAccess): Promise<number[] | undefined> {
  if (isAdministrator(access) || access.principal.kind !== 'user') return undefined;
  return listInboxIdsOfMember(ctx.db, access.accountId, access.principal.userId);
}

/** Labels, addresses, conversations and merging of contacts. */
export function registerContactRelationsRoutes(
  app: TypedApp,
  ctx: AppContext,
  helpers: { serialize: (row: ContactRow) => Promise<z.infer<typeof chatwootContactSchema>> },
): void {
  const base = '/api/v1/accounts/:account_id/contacts/:id';

  app.get(
    `${base}/labels`,
    {
      schema: {
        tags: ['Contact Labels'],
        summary: "List a contact's labels",
        params: accountResourceParams,
        response: { 200: labelsResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const contact = await getContact(ctx.db, accountId, request.params.id);
      return { payload: contact.labels };
    },
  );

  app.post(
    `${base}/labels`,
    {
      schema: {
        tags: ['Contact Labels'],
        summary: "Replace a contact's labels",
        params: accountResourceParams,
        body: z.object({ labels: z.array(z.string().max(255)).max(100) }),
        response: { 200: labelsResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const labels = await ctx.db.transaction((tx) =>
        setContactLabels(tx, {
          accountId: access.accountId,
          contactId: request.params.id,
          labels: request.body.labels,
          actor: access.actor,
        }),
      );
      return { payload: labels };
    },
  );

  app.post(
    `${base}/contact_inboxes`,
    {
      schema: {
        tags,
        summary: 'Create the contact an address in an inbox',
        params: accountResourceParams,
        body: z.object({ inbox_id: chatwootId, source_id: z.string().min(1).max(255).optional() }),
        response: { 200: chatwootContactInboxSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const address = await ctx.db.transaction((tx) =>
        ensureContactInbox(tx, {
          accountId,
          contactId: request.params.id,
          inboxId: request.body.inbox_id,
          sourceId: request.body.source_id,
        }),
      );
      const inbox = await getInbox(ctx.db, accountId, address.inboxId);
      return { source_id: address.sourceId, inbox: toChatwootInboxContact(inbox) };
    },
  );

  app.get(
    `${base}/contactable_inboxes`,
    {
      schema: {
        tags,
        summary: 'Inboxes a conversation with the contact can start in',
        params: accountResourceParams,
        response: { 200: z.object({ payload: z.array(chatwootContactInboxSchema) }), ...chatwootErrors },
      },
    },
    async (request) => {
      const { accountId } = await chatwootAccess(ctx.db, request, request.params.account_id);
      const inboxes = await listContactableInboxes(ctx.db, accountId, request.params.id);
      return {
        payload: inboxes.map((item) => ({
          source_id: item.sourceId,
          inbox: toChatwootInboxContact(item.inbox),
        })),
      };
    },
  );

  app.get(
    `${base}/conversations`,
    {
      schema: {
        tags,
        summary: "The contact's conversations",
        params: accountResourceParams,
        response: {
          200: z.object({ payload: z.array(chatwootConversationSchema.extend({ display_id: z.number() })) }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const rows = await listContactConversations(ctx.db, {
        accountId: access.accountId,
        contactId: request.params.id,
        inboxIds: await visibleInboxIds(ctx, access),
      });
      const views = await loadConversationViews(ctx.db, access.accountId, rows);
      return {
        payload: views.map((view) => ({
          ...toChatwootConversation(view.conversation, view.lastMessage, ctx.storage),
          display_id: view.conversation.displayId,
        })),
      };
    },
  );

  app.post(
    '/api/v1/accounts/:account_id/actions/contact_merge',
    {
      schema: {
        tags,
        summary: 'Merge a contact into another',
        params: accountParams,
        body: z.object({ base_contact_id: chatwootId, mergee_contact_id: chatwootId }),
        response: {
          200: chatwootContactSchema.extend({ payload: z.array(chatwootContactSchema) }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const merged = await ctx.db.transaction((tx) =>
        mergeContacts(tx, {
          accountId: access.accountId,
          baseId: request.body.base_contact_id,
          mergeeId: request.body.mergee_contact_id,
          actor: access.actor,
        }),
      );
      const contact = await helpers.serialize(merged);
      return { ...contact, payload: [contact] };
    },
  );
}
