import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { conversations } from './conversations.tables.js';

export const ratingTypes = ['csat', 'thumbs_up_or_down'] as const;
export type RatingType = (typeof ratingTypes)[number];

/** Where a rating request stands: offered to the contact, answered, or called off. */
export const ratingStatuses = ['unscheduled', 'scheduled', 'offered', 'rated', 'cancelled'] as const;
export type RatingStatus = (typeof ratingStatuses)[number];

/**
 * The customer's rating of one conversation (CSAT 1–5, or thumbs 0/1). One row per conversation:
 * a contact who rates again changes their answer. `agentId` is whom the rating is about (the
 * assignee when it was given), `contactId` who gave it.
 */
export const conversationRatings = pgTable(
  'conversation_ratings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    uuid: uuid('uuid').notNull().defaultRandom(),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' }).references(() => contacts.id, {
      onDelete: 'set null',
    }),
    agentId: bigint('agent_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
    ratingType: text('rating_type', { enum: ratingTypes }).notNull().default('csat'),
    status: text('status', { enum: ratingStatuses }).notNull().default('offered'),
    score: integer('score'),
    comment: text('comment'),
    language: text('language'),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('conversation_ratings_conversation_key').on(table.accountId, table.conversationId),
    uniqueIndex('conversation_ratings_uuid_key').on(table.uuid),
    index('conversation_ratings_account_rated_idx').on(table.accountId, table.ratedAt),
  ],
);

export type ConversationRatingRow = typeof conversationRatings.$inferSelect;
