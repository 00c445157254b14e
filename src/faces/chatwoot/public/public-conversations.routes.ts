import { z } from 'zod';
import { jsonObject } from '../../../platform/http/bounded-json.js';
import type { AppContext } from '../../../platform/app-context.js';
import type { TypedApp } from '../../../platform/http/typed-app.js';
import {
  createConversation,
  loadLastMessages,
  toggleConversationStatus,
  updateLastSeen,
} from '../../../core/conversations/index.js';
import {
  getClientConversation,
  listClientConversations,
} from '../../../core/public-client/client-conversations.js';
import { publishTyping } from '../../../core/presence/typing.js';
import { chatwootErrors, sendEmptyOk } from '../admin-schemas.js';
import { publicConversationSchema, toPublicConversation } from './public-serializers.js';
import { toPublicThreadMessage } from './public-messages.js';
import { clientOf, contactParams, CONVERSATION, CONVERSATIONS, conversationParams } from './public-client.js';
import { contactActor, inTransaction, renderConversation, visibleSnapshots } from './public-rendering.js';

const tags = ['Client API'];

const typingStatus = z.enum(['on', 'recording', 'off']);

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
      const accountId = client.inbox.accountId;
      const rows = await listClientConversations(ctx.db, client);
      // A list shows each conversation's last message; the conversation itself has the thread.
      const lastMessages = await loadLastMessages(ctx.db, accountId, rows);
      const snapshots = await visibleSnapshots(ctx, accountId, [...lastMessages.values()]);
      const byConversation = new Map(snapshots.map((message) => [message.conversationId, message]));
      return rows.map((row) => {
        const last = byConversation.get(row.id);
        return toPublicConversation(
          row,
          client.contact,
          last ? [toPublicThreadMessage(last, ctx.storage)] : [],
        );
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
        querystring: z.object({ typing_status: typingStatus.optional() }),
        body: z.object({ typing_status: typingStatus.optional() }).optional(),
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
}
