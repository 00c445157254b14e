import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { toggleConversationStatus } from '../../core/conversations/update-conversation.js';
import { listLinkedConversations } from '../../core/conversations/linked-conversations.js';
import { listConversationFlows } from '../../core/conversations/conversation-flows.js';
import { conversationChannels } from '../../core/conversations/conversation-channels.js';
import { dixaAccess } from './access.js';
import { dataOf } from './schemas.js';
import { closeConversationInputSchema, conversationParams } from './conversation-input.js';
import { dixaConversationSchema, loadDixaConversations } from './conversation-serializer.js';
import { agentOf, dixaConversation, errors, tags } from './conversation-lookup.js';
import { registerDixaConversationCreateRoutes } from './conversation-create.routes.js';
import { registerDixaConversationMessageRoutes } from './conversation-messages.routes.js';
import { registerDixaConversationNoteRoutes } from './conversation-notes.routes.js';
import { registerDixaConversationDetailRoutes } from './conversation-details.routes.js';

/** Seed `ConversationFlow` (see core/conversations/conversation-flows.ts for what a flow is in Parley). */
const flowSchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(conversationChannels),
  contactEndpointId: z.string(),
});

/** The channels the seed lets a flow list be filtered by; PstnPhone when none is given. */
const flowChannels = [
  'WhatsApp',
  'Voicemail',
  'WidgetChat',
  'FacebookMessenger',
  'Email',
  'ContactForm',
  'Callback',
  'PstnPhone',
  'Messenger',
] as const;

/** Conversations: create, get, messages, notes, rating, close, linked, custom attributes, flows. */
export function registerDixaConversationRoutes(app: TypedApp, ctx: AppContext): void {
  registerDixaConversationCreateRoutes(app, ctx);
  registerDixaConversationMessageRoutes(app, ctx);
  registerDixaConversationNoteRoutes(app, ctx);
  registerDixaConversationDetailRoutes(app, ctx);

  app.get(
    '/v1/conversations/flows',
    {
      schema: {
        tags,
        summary: 'List all conversation flows in an organization',
        querystring: z.object({ channel: z.enum(flowChannels).default('PstnPhone') }),
        response: { 200: z.object({ data: z.array(flowSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const flows = await listConversationFlows(ctx.db, access.accountId, request.query.channel);
      return dataOf(
        flows.map(({ id, name, channel, contactEndpointId }) => ({ id, name, channel, contactEndpointId })),
      );
    },
  );

  app.get(
    '/v1/conversations/:conversationId',
    {
      schema: {
        tags,
        summary: 'Get a conversation by id',
        params: conversationParams,
        response: { 200: z.object({ data: dixaConversationSchema }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, access.accountId, request.params.conversationId);
      const [conversation] = await loadDixaConversations(ctx.db, access.accountId, [row]);
      if (!conversation) throw new Error('conversation rendering failed');
      return dataOf(conversation);
    },
  );

  app.get(
    '/v1/conversations/:conversationId/linked',
    {
      schema: {
        tags,
        summary: 'List the linked child conversations (side conversations, follow-ups, forwards)',
        params: conversationParams,
        response: { 200: z.object({ data: z.array(dixaConversationSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const parent = await dixaConversation(ctx, access.accountId, request.params.conversationId);
      const children = await listLinkedConversations(ctx.db, access.accountId, parent.id);
      return dataOf(await loadDixaConversations(ctx.db, access.accountId, children));
    },
  );

  app.put(
    '/v1/conversations/:conversationId/close',
    {
      schema: {
        tags,
        summary: 'Close a conversation, optionally as a given agent/admin',
        params: conversationParams,
        body: closeConversationInputSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, access.accountId, request.params.conversationId);
      const userId = request.body?.userId;
      const actor =
        userId === undefined
          ? access.actor
          : { type: 'user' as const, id: await agentOf(ctx, access.accountId, 'userId', userId) };
      // Closing a closed conversation changes nothing and is not an error, as a retry must not be.
      await ctx.db.transaction((tx) =>
        toggleConversationStatus(tx, {
          accountId: access.accountId,
          conversationId: row.id,
          status: 'resolved',
          actor,
        }),
      );
      return reply.status(204).send(null);
    },
  );
}
