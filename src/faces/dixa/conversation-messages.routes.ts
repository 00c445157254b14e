import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import { addConversationMessage } from '../../core/conversations/conversation-message-input.js';
import { dixaChannelOf, type ConversationChannel } from '../../core/conversations/conversation-channels.js';
import { loadConversationRelations } from '../../core/conversations/conversation-relations.js';
import {
  attachTranscriptRelations,
  listTranscript,
} from '../../core/conversations/conversation-transcript.js';
import { dixaAccess } from './access.js';
import { dataOf } from './schemas.js';
import { conversationParams, createMessageInputSchema } from './conversation-input.js';
import { dixaConversation, errors, tags } from './conversation-lookup.js';
import { toMessageInput } from './conversation-create.routes.js';
import {
  contentOf,
  directionOf,
  dixaCreatedMessageSchema,
  dixaMessageSchema,
  toDixaMessage,
} from './conversation-message.map.js';

const createdOutput = z.object({ data: dixaCreatedMessageSchema });

/** The seed: "Currently Email, WidgetChat and Messenger channels are supported." */
const channelsTakingMessages: readonly ConversationChannel[] = ['Email', 'WidgetChat', 'Messenger'];

/** GET and POST /v1/conversations/{conversationId}/messages. */
export function registerDixaConversationMessageRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/conversations/:conversationId/messages',
    {
      schema: {
        tags,
        summary: 'Get all messages of a conversation',
        params: conversationParams,
        response: { 200: z.object({ data: z.array(dixaMessageSchema) }), ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, accountId, request.params.conversationId);
      const [relations, entries] = await Promise.all([
        loadConversationRelations(ctx.db, accountId, [row]),
        listTranscript(ctx.db, accountId, row.id, 'messages'),
      ]);
      const related = relations.get(row.id);
      if (!related) throw new Error('conversation relations missing');
      return dataOf(entries.map((entry) => toDixaMessage(entry, row, related, ctx.storage)));
    },
  );

  app.post(
    '/v1/conversations/:conversationId/messages',
    {
      schema: {
        tags,
        summary: 'Add a message to a conversation (Email, WidgetChat and Messenger)',
        params: conversationParams,
        body: createMessageInputSchema,
        // A retry with the same externalId answers the message already stored, with 200.
        response: { 200: createdOutput, 201: createdOutput, ...errors },
      },
    },
    async (request, reply) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const row = await dixaConversation(ctx, accountId, request.params.conversationId);
      const relations = (await loadConversationRelations(ctx.db, accountId, [row])).get(row.id);
      if (!relations) throw new Error('conversation relations missing');
      const channel = dixaChannelOf({
        channelType: relations.inbox.channelType,
        additionalAttributes: row.additionalAttributes,
      });
      if (!channelsTakingMessages.includes(channel)) {
        throw new DomainError(
          'BAD_REQUEST',
          `Messages can be added to ${channelsTakingMessages.join(', ')} conversations, not ${channel}`,
        );
      }
      const input = await toMessageInput(ctx, accountId, request.body, '');
      const created = await ctx.db.transaction((tx) => addConversationMessage(tx, row, input, access.actor));
      const [entry] = await attachTranscriptRelations(ctx.db, accountId, [created.message]);
      if (!entry) throw new Error('message author missing');
      return reply.status(created.isDuplicate ? 200 : 201).send(
        dataOf({
          content: contentOf(entry),
          authorId: entry.authorUuid,
          createdAt: entry.message.createdAt.toISOString(),
          direction: directionOf(entry),
          messageId: entry.message.uuid,
          ...(entry.message.echoId !== null && { externalId: entry.message.echoId }),
        }),
      );
    },
  );
}
