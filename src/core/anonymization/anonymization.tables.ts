import {
  bigint,
  boolean,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';

/** What can be anonymized, in Dixa's `_type` words. */
export const anonymizationEntityTypes = ['User', 'Conversation', 'Message'] as const;
export type AnonymizationEntityType = (typeof anonymizationEntityTypes)[number];

/**
 * One request to overwrite an entity's personal data (GDPR erasure). The work runs as a job;
 * `processedAt` is set in the transaction that did it. One request per entity: asking again answers
 * the request already made.
 */
export const anonymizationRequests = pgTable(
  'anonymization_requests',
  {
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    entityType: text('entity_type', { enum: anonymizationEntityTypes }).notNull(),
    /** The internal id of the contact, conversation or message. */
    targetId: bigint('target_id', { mode: 'number' }).notNull(),
    /** The id the client named it by (a uuid, a conversation's number), echoed back as `targetEntityId`. */
    targetEntityId: text('target_entity_id').notNull(),
    /** The uuid of the person behind the token that asked (the nil uuid for an unowned API key). */
    requestedBy: uuid('requested_by').notNull(),
    /** Close the entity's open conversations instead of refusing. */
    isForced: boolean('force').notNull().default(false),
    initiatedAt: timestamp('initiated_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.id] }),
    uniqueIndex('anonymization_requests_target_key').on(table.accountId, table.entityType, table.targetId),
  ],
);

export type AnonymizationRequestRow = typeof anonymizationRequests.$inferSelect;
