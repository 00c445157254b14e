import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { lockConversation } from '../conversations/conversations.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import {
  conversationRatings,
  type ConversationRatingRow,
} from '../conversations/conversation-ratings.tables.js';
import { rateConversation } from '../conversations/rate-conversation.js';
import { createMessage } from '../conversations/create-message.js';
import { inboxes } from '../inboxes/inboxes.tables.js';

/*
 * The CSAT offer: when an agent's conversation closes in an inbox (a Dixa contact endpoint) with
 * ratings on (`csatSurveyEnabled`), the end user gets a message with a link to the public rating
 * page. The rating row is created `offered` and answered through the same core as every rating
 * (rateConversation), so the Dixa face's rating endpoint and analytics see it.
 */

/** Where the public rating page of a rating lives, under the native face. */
export const ratingPagePath = (ratingUuid: string) => `/api/v1/public/ratings/${ratingUuid}`;

const offerRatingTarget = {
  name: 'routing.offer-rating',
  // Not the routing queue: a rating offer is no offer to an agent and may wait behind them.
  queue: 'within-1-minute',
  maxAttempts: 5,
  payloadSchema: z.object({ accountId: z.number().int(), conversationId: z.number().int() }),
};

/** The job that sends the offer, built with the public URL the link starts with. */
export function offerRatingJob(publicBaseUrl: string) {
  return defineJob({
    ...offerRatingTarget,
    handler: async (payload, ctx) => {
      await ctx.complete((tx) => offerRating(tx, { ...payload, publicBaseUrl }));
    },
  });
}

/**
 * Called as the conversation closes: an agent handled it and its inbox asks for ratings. The
 * offer goes out after the commit, from a job, so a close is never held up (or undone) by it.
 */
export async function scheduleRatingOffer(tx: Db, conversation: ConversationRow): Promise<void> {
  if (conversation.assigneeId === null) return;
  const [inbox] = await tx
    .select({ isEnabled: inboxes.csatSurveyEnabled })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, conversation.accountId), eq(inboxes.id, conversation.inboxId)));
  if (!inbox?.isEnabled) return;
  await enqueue(
    tx,
    offerRatingTarget,
    { accountId: conversation.accountId, conversationId: conversation.id },
    { accountId: conversation.accountId, dedupeKey: `rating:${conversation.id}` },
  );
}

/** One offer per conversation, as Chatwoot's survey: none if it was reopened or already rated. */
async function offerRating(
  tx: Db,
  input: { accountId: number; conversationId: number; publicBaseUrl: string },
): Promise<void> {
  const conversation = await lockConversation(tx, input.accountId, input.conversationId);
  if (conversation.status !== 'resolved') return;
  const [rating] = await tx
    .insert(conversationRatings)
    .values({
      accountId: conversation.accountId,
      conversationId: conversation.id,
      contactId: conversation.contactId,
      agentId: conversation.assigneeId,
      status: 'offered',
      language: conversation.language,
      offeredAt: sql`now()`,
    })
    .onConflictDoNothing()
    .returning();
  if (!rating) return;
  const url = new URL(ratingPagePath(rating.uuid), input.publicBaseUrl).toString();
  await createMessage(tx, {
    accountId: conversation.accountId,
    conversationId: conversation.id,
    messageType: 'template',
    contentType: 'input_csat',
    content: `How did we do? Rate this conversation: ${url}`,
    contentAttributes: { rating_url: url },
    sender: null,
    actor: { type: 'system' },
  });
}

/** The offered (or already answered) rating behind a public link; a cancelled one is not found. */
export async function findRatingByLink(db: Db, ratingUuid: string): Promise<ConversationRatingRow> {
  const [rating] = await db
    .select()
    .from(conversationRatings)
    .where(
      and(
        eq(conversationRatings.uuid, ratingUuid),
        inArray(conversationRatings.status, ['offered', 'rated']),
      ),
    );
  if (!rating) throw notFound('Rating');
  return rating;
}

/** The end user answers through the link: recorded as any rating, by the contact it was offered to. */
export async function answerRatingLink(
  db: Db,
  input: { ratingUuid: string; score: number; comment: string | null },
): Promise<ConversationRatingRow> {
  const offered = await findRatingByLink(db, input.ratingUuid);
  return db.transaction((tx) =>
    rateConversation(tx, {
      accountId: offered.accountId,
      conversationId: offered.conversationId,
      ratingType: offered.ratingType,
      score: input.score,
      comment: input.comment,
      actor: offered.contactId === null ? { type: 'system' } : { type: 'contact', id: offered.contactId },
    }),
  );
}
