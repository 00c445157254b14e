import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { getConversationByDisplayId } from '../../core/conversations/conversations.js';
import { rateConversation } from '../../core/conversations/rate-conversation.js';
import { ratingStatuses, ratingTypes } from '../../core/conversations/conversation-ratings.tables.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';

const ratingParams = accountParams.extend({ conversationId: idParam });

const ratingSchema = z.object({
  id: z.string().describe('The rating UUID'),
  conversationId: z.number().describe("The conversation's number in the account (display id)"),
  ratingType: z.enum(ratingTypes),
  status: z.enum(ratingStatuses),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  language: z.string().nullable(),
  agentId: z.number().nullable().describe('The agent rated: the assignee when the rating was given'),
  contactId: z.number().nullable(),
  ratedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/**
 * A customer's rating of a conversation, recorded by whatever asked them (a survey page, a
 * widget, an IVR): CSAT 1–5 or thumbs 0/1. Rating again replaces the answer.
 */
export function registerConversationRatingRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/accounts/:accountId/conversations/:conversationId/rating',
    {
      schema: {
        tags: ['conversations'],
        summary: "Record the contact's rating of a conversation (fires conversation.rated)",
        params: ratingParams,
        body: z.object({
          score: z.number().int(),
          comment: z.string().max(10_000).nullish(),
          ratingType: z.enum(ratingTypes).default('csat'),
          language: z.string().min(2).max(35).nullish(),
        }),
        response: { 200: ratingSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const conversation = await getConversationByDisplayId(
        ctx.db,
        access.accountId,
        request.params.conversationId,
      );
      const rating = await ctx.db.transaction((tx) =>
        rateConversation(tx, {
          accountId: access.accountId,
          conversationId: conversation.id,
          ratingType: request.body.ratingType,
          score: request.body.score,
          comment: request.body.comment ?? null,
          language: request.body.language ?? null,
          actor: access.actor,
        }),
      );
      return {
        id: rating.uuid,
        conversationId: conversation.displayId,
        ratingType: rating.ratingType,
        status: rating.status,
        score: rating.score,
        comment: rating.comment,
        language: rating.language,
        agentId: rating.agentId,
        contactId: rating.contactId,
        ratedAt: iso(rating.ratedAt),
        createdAt: iso(rating.createdAt),
        updatedAt: iso(rating.updatedAt),
      };
    },
  );
}
