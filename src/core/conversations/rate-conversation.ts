import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import { accounts, users } from '../identity/identity.tables.js';
import { lockConversation } from './conversations.js';
import { conversations } from './conversations.tables.js';
import { snapshotOfRow } from './conversation-snapshots.js';
import {
  conversationRatings,
  type ConversationRatingRow,
  type RatingType,
} from './conversation-ratings.tables.js';
import { conversationRated } from './ratings.events.js';

export interface RateConversationInput {
  accountId: number;
  /** The internal conversation id. */
  conversationId: number;
  ratingType?: RatingType;
  score: number;
  comment?: string | null;
  language?: string | null;
  actor: Actor;
}

/** CSAT is Chatwoot's and Dixa's 1–5 scale; thumbs are 0 (down) or 1 (up). */
const scoreRange: Record<RatingType, [number, number]> = { csat: [1, 5], thumbs_up_or_down: [0, 1] };

function assertScore(ratingType: RatingType, score: number): void {
  const [min, max] = scoreRange[ratingType];
  if (Number.isInteger(score) && score >= min && score <= max) return;
  const message = `must be an integer from ${min} to ${max} for ${ratingType}`;
  throw new DomainError('VALIDATION_FAILED', `Invalid rating: score ${message}`, [
    { path: 'score', message },
  ]);
}

/**
 * Records the contact's rating of a conversation, about its current assignee, and emits
 * conversation.rated. Rating again replaces the earlier answer, as a survey link reopened does.
 */
export async function rateConversation(tx: Db, input: RateConversationInput): Promise<ConversationRatingRow> {
  const ratingType = input.ratingType ?? 'csat';
  assertScore(ratingType, input.score);
  const conversation = await lockConversation(tx, input.accountId, input.conversationId);
  const values = {
    contactId: conversation.contactId,
    agentId: conversation.assigneeId,
    ratingType,
    status: 'rated' as const,
    score: input.score,
    comment: input.comment?.trim() || null,
    language: input.language ?? conversation.language,
    ratedAt: sql`now()`,
    updatedAt: sql`now()`,
  };
  const [rating] = await tx
    .insert(conversationRatings)
    .values({ accountId: input.accountId, conversationId: conversation.id, offeredAt: sql`now()`, ...values })
    .onConflictDoUpdate({
      target: [conversationRatings.accountId, conversationRatings.conversationId],
      set: values,
    })
    .returning();
  if (!rating) throw new Error('rating upsert returned no row');
  await recordEvent(tx, conversationRated, {
    accountId: input.accountId,
    aggregateId: conversation.id,
    payload: {
      conversation: await snapshotOfRow(tx, conversation),
      rating: {
        id: rating.id,
        uuid: rating.uuid,
        score: rating.score,
        comment: rating.comment,
        agentId: rating.agentId,
        ratingType: rating.ratingType,
      },
    },
    actor: input.actor,
  });
  return rating;
}

export interface ConversationRatingView {
  rating: ConversationRatingRow;
  /** Who gave it and whom it is about, by the UUIDs faces show. */
  contactUuid: string | null;
  agentUuid: string | null;
}

export async function listConversationRatings(
  db: Db,
  accountId: number,
  conversationId: number,
): Promise<ConversationRatingView[]> {
  return db
    .select({ rating: conversationRatings, contactUuid: contacts.uuid, agentUuid: users.uuid })
    .from(conversationRatings)
    .leftJoin(contacts, eq(contacts.id, conversationRatings.contactId))
    .leftJoin(users, eq(users.id, conversationRatings.agentId))
    .where(
      and(
        eq(conversationRatings.accountId, accountId),
        eq(conversationRatings.conversationId, conversationId),
      ),
    )
    .orderBy(asc(conversationRatings.id));
}

/** Chatwoot refuses to change a CSAT answer 14 days after the survey was sent. */
export const SURVEY_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export interface ConversationSurvey {
  accountId: number;
  accountName: string;
  conversationId: number;
  contactId: number;
  rating: ConversationRatingRow | null;
  /** Past the answer window: the page shows the answer but takes no new one. */
  isLocked: boolean;
}

function isPastWindow(rating: ConversationRatingRow | null, now: Date): boolean {
  const openedAt = rating?.offeredAt ?? rating?.createdAt;
  return openedAt !== undefined && now.getTime() - openedAt.getTime() > SURVEY_WINDOW_MS;
}

/**
 * The CSAT survey of a conversation, found by the conversation's UUID alone: the public survey
 * page (Chatwoot's `/survey/responses/{uuid}`) has no credentials, the UUID is the capability.
 */
export async function findConversationSurvey(
  db: Db,
  conversationUuid: string,
): Promise<ConversationSurvey | null> {
  const [row] = await db
    .select({
      accountId: conversations.accountId,
      accountName: accounts.name,
      conversationId: conversations.id,
      contactId: conversations.contactId,
      rating: conversationRatings,
    })
    .from(conversations)
    .innerJoin(accounts, eq(accounts.id, conversations.accountId))
    .leftJoin(
      conversationRatings,
      and(
        eq(conversationRatings.accountId, conversations.accountId),
        eq(conversationRatings.conversationId, conversations.id),
      ),
    )
    .where(eq(conversations.uuid, conversationUuid));
  if (!row) return null;
  return { ...row, isLocked: isPastWindow(row.rating, new Date()) };
}

/**
 * The contact answers the survey page: stored as every rating (rateConversation), so reports,
 * the Dixa face and webhooks see it. A second answer replaces the first inside the window.
 */
export async function answerConversationSurvey(
  db: Db,
  input: { conversationUuid: string; score: number; comment: string | null },
): Promise<ConversationRatingRow> {
  const survey = await findConversationSurvey(db, input.conversationUuid);
  if (!survey) throw notFound('Conversation');
  return db.transaction(async (tx) => {
    await lockConversation(tx, survey.accountId, survey.conversationId);
    const [current] = await tx
      .select()
      .from(conversationRatings)
      .where(
        and(
          eq(conversationRatings.accountId, survey.accountId),
          eq(conversationRatings.conversationId, survey.conversationId),
        ),
      );
    if (isPastWindow(current ?? null, new Date())) {
      throw new DomainError('VALIDATION_FAILED', 'You cannot update the CSAT survey after 14 days', [
        { path: 'rating', message: 'cannot be changed after 14 days' },
      ]);
    }
    return rateConversation(tx, {
      accountId: survey.accountId,
      conversationId: survey.conversationId,
      ratingType: 'csat',
      score: input.score,
      comment: input.comment,
      actor: { type: 'contact', id: survey.contactId },
    });
  });
}
