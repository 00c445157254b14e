import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { lockConversation } from '../../core/conversations/conversations.js';
import { setConversationCustomAttributes } from '../../core/conversations/update-conversation.js';
import { loadConversationAttributeDefinitions } from '../../core/conversations/conversation-relations.js';
import {
  listConversationRatings,
  type ConversationRatingView,
} from '../../core/conversations/rate-conversation.js';
import { loadConversationRelations } from '../../core/conversations/conversation-relations.js';
import { dixaChannelOf, type ConversationChannel } from '../../core/conversations/conversation-channels.js';
import { patchCustomAttributesByUuid } from '../../core/custom-attributes/patch-by-uuid.js';
import { dixaAccess } from './access.js';
import { dataOf } from './schemas.js';
import { conversationParams } from './conversation-input.js';
import { dixaConversation, errors, tags } from './conversation-lookup.js';
import {
  dixaAttributePatchSchema,
  dixaCustomAttributeSchema,
  toDixaCustomAttributes,
} from './custom-attribute.map.js';

/** Seed `ConversationRating`. */
const ratingSchema = z.object({
  id: z.string(),
  userId: z.string(),
  agentId: z.string().optional(),
  language: z.string().optional(),
  ratingType: z.enum(['Csat', 'ThumbsUpOrDown']),
  timestamps: z.record(z.string(), z.string()),
  ratingScore: z.number().int().optional(),
  ratingStatus: z.enum(['Unscheduled', 'Offered', 'Rated', 'Scheduled', 'Cancelled']),
  ratingComment: z.string().optional(),
  conversationChannel: z.string(),
});

const ratingTypeOf = { csat: 'Csat', thumbs_up_or_down: 'ThumbsUpOrDown' } as const;
const ratingStatusOf = {
  unscheduled: 'Unscheduled',
  scheduled: 'Scheduled',
  offered: 'Offered',
  rated: 'Rated',
  cancelled: 'Cancelled',
} as const;

function toDixaRating(
  view: ConversationRatingView,
  channel: ConversationChannel,
): z.infer<typeof ratingSchema> {
  const { rating } = view;
  const timestamps: Record<string, string> = { createdAt: rating.createdAt.toISOString() };
  if (rating.offeredAt) timestamps.offeredAt = rating.offeredAt.toISOString();
  if (rating.ratedAt) timestamps.ratedAt = rating.ratedAt.toISOString();
  return {
    id: rating.uuid,
    // The end user who rated; a contact deleted since leaves the id empty rather than null.
    userId: view.contactUuid ?? '',
    ...(view.agentUuid !== null && { agentId: view.agentUuid }),
    ...(rating.language !== null && { language: rating.language }),
    ratingType: ratingTypeOf[rating.ratingType],
    timestamps,
    ...(rating.score !== null && { ratingScore: rating.score }),
    ratingStatus: ratingStatusOf[rating.status],
    ...(rating.comment !== null && { ratingComment: rating.comment }),
    conversationChannel: channel,
  };
}

/** A conversation's rating and custom attributes. */
export function registerDixaConversationDetailRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/conversations/:conversationId/rating',
    {
      schema: {
        tags,
        summary: 'Get the ratings of a conversation',
        params: conversationParams,
        response: { 200: z.object({ data: z.array(ratingSchema) }), ...errors },
      },
    },
    async (request) => {
      const { accountId } = await dixaAccess(ctx, request);
      const row = await dixaConversation(ctx, accountId, request.params.conversationId);
      const [ratings, relations] = await Promise.all([
        listConversationRatings(ctx.db, accountId, row.id),
        loadConversationRelations(ctx.db, accountId, [row]),
      ]);
      const inbox = relations.get(row.id)?.inbox;
      if (!inbox) throw new Error('conversation relations missing');
      const channel = dixaChannelOf({
        channelType: inbox.channelType,
        additionalAttributes: row.additionalAttributes,
      });
      return dataOf(ratings.map((view) => toDixaRating(view, channel)));
    },
  );

  app.patch(
    '/v1/conversations/:conversationId/custom-attributes',
    {
      schema: {
        tags,
        summary: 'Patch the custom attributes of a conversation (definition id → value, null removes)',
        params: conversationParams,
        body: dixaAttributePatchSchema,
        response: { 200: z.object({ data: z.array(dixaCustomAttributeSchema) }), ...errors },
      },
    },
    async (request) => {
      const access = await dixaAccess(ctx, request);
      const { accountId } = access;
      const row = await dixaConversation(ctx, accountId, request.params.conversationId);
      const updated = await ctx.db.transaction(async (tx) => {
        // Locked before reading the current values, so two patches cannot lose each other's keys.
        const current = await lockConversation(tx, accountId, row.id);
        const values = await patchCustomAttributesByUuid(tx, {
          accountId,
          model: 'conversation',
          current: current.customAttributes,
          patch: request.body,
        });
        return setConversationCustomAttributes(tx, {
          accountId,
          conversationId: row.id,
          customAttributes: values,
          actor: access.actor,
        });
      });
      const definitions = await loadConversationAttributeDefinitions(
        ctx.db,
        accountId,
        Object.keys(updated.customAttributes),
      );
      return dataOf(toDixaCustomAttributes(updated.customAttributes, definitions));
    },
  );
}
