import { z } from 'zod';
import { jsonObject, boundedJson } from '../../../platform/http/bounded-json.js';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import { notFound } from '../../../platform/errors.js';
import { createMessage, getMessage, listMessages, updateMessage } from '../../../core/conversations/index.js';
import type { MessageRow } from '../../../core/conversations/conversations.tables.js';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import { getClientConversation } from '../../../core/public-client/client-conversations.js';
import { chatwootErrors, chatwootId } from '../admin-schemas.js';
import { publicMessageSchema, toPublicMessage, type PublicMessage } from './public-messages.js';
import { clientOf, CONVERSATION, conversationParams, messageParams } from './public-client.js';
import { contactActor, inTransaction, visibleSnapshots } from './public-rendering.js';

const tags = ['Client API'];
const MESSAGES = `${CONVERSATION}/messages`;

/** Seed `public_message_create_payload`; a message with no content is the core's to refuse. */
const createBody = z
  .object({
    content: z.string().max(150_000).nullish(),
    echo_id: z.string().max(255).nullish(),
  })
  .optional()
  .default({});

/** Seed `public_message_update_payload`: answers to a bot's form, options or CSAT question. */
const updateBody = z.object({
  submitted_values: boundedJson(z.union([jsonObject(), z.array(jsonObject())])),
});

async function renderOne(ctx: AppContext, client: ClientContact, row: MessageRow): Promise<PublicMessage> {
  const [snapshot] = await visibleSnapshots(ctx, client.inbox.accountId, [row]);
  if (!snapshot) throw notFound('Message');
  return toPublicMessage(snapshot, ctx.storage);
}

export function registerPublicMessageRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    MESSAGES,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Send a message as the contact',
        params: conversationParams,
        body: createBody,
        response: { 200: publicMessageSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      const created = await inTransaction(ctx.db, (tx) =>
        createMessage(tx, {
          accountId: client.inbox.accountId,
          conversationId: row.id,
          messageType: 'incoming',
          content: request.body.content ?? null,
          echoId: request.body.echo_id ?? null,
          sender: { type: 'contact', id: client.contact.id },
          actor: contactActor(client),
        }),
      );
      return renderOne(ctx, client, created.message);
    },
  );

  app.get(
    MESSAGES,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'List the messages of the conversation',
        params: conversationParams,
        querystring: z.object({ before: chatwootId.optional(), after: chatwootId.optional() }),
        response: { 200: z.array(publicMessageSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      const rows = await listMessages(ctx.db, client.inbox.accountId, row.id, request.query);
      const snapshots = await visibleSnapshots(ctx, client.inbox.accountId, rows);
      return snapshots.map((snapshot) => toPublicMessage(snapshot, ctx.storage));
    },
  );

  app.patch(
    `${MESSAGES}/:message_id`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Answer a bot message (form, options, CSAT) with submitted values',
        params: messageParams,
        body: updateBody,
        response: { 200: publicMessageSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      const accountId = client.inbox.accountId;
      const existing = await getMessage(ctx.db, accountId, row.id, request.params.message_id);
      if (existing.isPrivate) throw notFound('Message');
      const updated = await inTransaction(ctx.db, (tx) =>
        updateMessage(tx, {
          accountId,
          conversationId: row.id,
          messageId: existing.id,
          contentAttributes: { submitted_values: request.body.submitted_values },
          actor: contactActor(client),
        }),
      );
      return renderOne(ctx, client, updated);
    },
  );
}
