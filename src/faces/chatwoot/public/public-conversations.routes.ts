import { z } from 'zod';
import { jsonObject, boundedJson } from '../../../platform/http/bounded-json.js';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import type { Db } from '../../../platform/db/database.js';
import { notFound } from '../../../platform/errors.js';
import {
  createConversation,
  createMessage,
  getMessage,
  listMessages,
  loadLastMessages,
  loadMessageSnapshots,
  toggleConversationStatus,
  updateLastSeen,
  updateMessage,
} from '../../../core/conversations/index.js';
import type { ConversationRow, MessageRow } from '../../../core/conversations/conversations.tables.js';
import type { ClientContact } from '../../../core/public-client/client-contacts.js';
import {
  getClientConversation,
  listClientConversations,
} from '../../../core/public-client/client-conversations.js';
import { publishTyping } from '../../../core/presence/typing.js';
import { chatwootErrors, chatwootId, sendEmptyOk } from '../admin-schemas.js';
import {
  publicConversationSchema,
  publicMessageSchema,
  toPublicConversation,
  toPublicMessage,
  type PublicMessage,
} from './public-serializers.js';
import { clientOf, contactParams, conversationParams, messageParams, PUBLIC_BASE } from './public-client.js';

const tags = ['Client API'];
const CONVERSATIONS = `${PUBLIC_BASE}/contacts/:contact_identifier/conversations`;
const CONVERSATION = `${CONVERSATIONS}/:conversation_id`;

const contactActor = (client: ClientContact) => ({ type: 'contact', id: client.contact.id }) as const;

/** Private notes are the team's: a visitor never sees them. */
async function toPublicMessages(
  ctx: AppContext,
  accountId: number,
  rows: MessageRow[],
): Promise<PublicMessage[]> {
  const visible = rows.filter((row) => !row.isPrivate);
  const snapshots = await loadMessageSnapshots(ctx.db, accountId, visible);
  return visible.flatMap((row) => {
    const snapshot = snapshots.get(row.id);
    return snapshot ? [toPublicMessage(snapshot, ctx.storage)] : [];
  });
}

async function renderConversation(ctx: AppContext, client: ClientContact, row: ConversationRow) {
  const messages = await listMessages(ctx.db, client.inbox.accountId, row.id);
  return toPublicConversation(
    row,
    client.contact,
    await toPublicMessages(ctx, client.inbox.accountId, messages),
  );
}

function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

export function registerPublicConversationRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    CONVERSATIONS,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Create a conversation for the contact',
        params: contactParams,
        body: z.object({ custom_attributes: jsonObject().optional() }).optional().default({}),
        response: { 200: publicConversationSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await inTransaction(ctx.db, (tx) =>
        createConversation(tx, {
          accountId: client.inbox.accountId,
          inboxId: client.inbox.id,
          contactId: client.contact.id,
          contactInboxId: client.contactInbox.id,
          customAttributes: request.body.custom_attributes ?? {},
          actor: contactActor(client),
        }),
      );
      return toPublicConversation(row, client.contact, []);
    },
  );

  app.get(
    CONVERSATIONS,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: "List the contact's conversations",
        params: contactParams,
        response: { 200: z.array(publicConversationSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const rows = await listClientConversations(ctx.db, client);
      // A list shows each conversation's last message; the conversation itself has the thread.
      const lastMessages = await loadLastMessages(ctx.db, client.inbox.accountId, rows);
      const messages = await toPublicMessages(ctx, client.inbox.accountId, [...lastMessages.values()]);
      const byConversation = new Map(messages.map((message) => [message.conversation_id, message]));
      return rows.map((row) => {
        const last = byConversation.get(row.displayId);
        return toPublicConversation(row, client.contact, last ? [last] : []);
      });
    },
  );

  app.get(
    CONVERSATION,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Get one of the contact’s conversations',
        params: conversationParams,
        response: { 200: publicConversationSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      return renderConversation(ctx, client, row);
    },
  );

  app.post(
    `${CONVERSATION}/toggle_status`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Resolve the conversation',
        params: conversationParams,
        response: { 200: publicConversationSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      const updated = await inTransaction(ctx.db, (tx) =>
        toggleConversationStatus(tx, {
          accountId: client.inbox.accountId,
          conversationId: row.id,
          status: 'resolved',
          actor: contactActor(client),
        }),
      );
      return renderConversation(ctx, client, updated);
    },
  );

  app.post(
    `${CONVERSATION}/toggle_typing`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Tell the agents the contact is typing (or stopped)',
        params: conversationParams,
        // The seed documents typing_status both as a query parameter and in the body.
        querystring: z.object({ typing_status: z.enum(['on', 'recording', 'off']).optional() }),
        body: z.object({ typing_status: z.enum(['on', 'recording', 'off']).optional() }).optional(),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      const status = request.body?.typing_status ?? request.query.typing_status ?? 'off';
      await publishTyping(ctx.bus, {
        accountId: client.inbox.accountId,
        conversation: { id: row.id, displayId: row.displayId, inboxId: row.inboxId },
        performer: { type: 'contact', id: client.contact.id, name: client.contact.name },
        isTyping: status !== 'off',
      });
      return sendEmptyOk(reply);
    },
  );

  app.post(
    `${CONVERSATION}/update_last_seen`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Mark the conversation as seen by the contact',
        params: conversationParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const client = await clientOf(ctx, request.params);
      const row = await getClientConversation(ctx.db, client, request.params.conversation_id);
      await inTransaction(ctx.db, (tx) =>
        updateLastSeen(tx, row, 'contact', { actor: contactActor(client) }),
      );
      return sendEmptyOk(reply);
    },
  );

  app.post(
    `${CONVERSATION}/messages`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Send a message as the contact',
        params: conversationParams,
        body: z.object({
          content: z.string().max(150_000).nullish(),
          echo_id: z.string().max(255).nullish(),
        }),
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
      const [message] = await toPublicMessages(ctx, client.inbox.accountId, [created.message]);
      if (!message) throw notFound('Message');
      return message;
    },
  );

  app.get(
    `${CONVERSATION}/messages`,
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
      return toPublicMessages(ctx, client.inbox.accountId, rows);
    },
  );

  app.patch(
    `${CONVERSATION}/messages/:message_id`,
    {
      config: { isPublic: true },
      schema: {
        tags,
        summary: 'Answer a bot message (form, options, CSAT) with submitted values',
        params: messageParams,
        body: z.object({
          submitted_values: boundedJson(z.union([jsonObject(), z.array(jsonObject())])),
        }),
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
      const [message] = await toPublicMessages(ctx, accountId, [updated]);
      if (!message) throw notFound('Message');
      return message;
    },
  );
}
