import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { contacts } from '../contacts/contacts.tables.js';
import { users } from '../identity/identity.tables.js';
import { lockConversation } from './conversations.js';
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
