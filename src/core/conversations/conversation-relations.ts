import { alias } from 'drizzle-orm/pg-core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { users } from '../identity/identity.tables.js';
import { inboxes, type InboxRow } from '../inboxes/inboxes.tables.js';
import { customAttributeDefinitions } from '../custom-attributes/custom-attributes.tables.js';
import type { CustomAttributeDefinitionRow } from '../custom-attributes/custom-attributes.tables.js';
import { routingEntries, routingQueues } from '../routing/routing.tables.js';
import { anonymizationRequests } from '../anonymization/anonymization.tables.js';
import { conversations, type ConversationRow } from './conversations.tables.js';

/** What a contact-center view of a conversation shows besides its own row. */
export interface ConversationRelations {
  inbox: Pick<InboxRow, 'id' | 'uuid' | 'name' | 'channelType' | 'channelSettings'>;
  contact: { uuid: string; email: string | null; phoneNumber: string | null; sourceId: string | null };
  assigneeUuid: string | null;
  /** When the current assignee got the conversation (null when unassigned or unknown). */
  assignedAt: Date | null;
  /** When the status last changed (null when it never did: the status it was opened with). */
  statusChangedAt: Date | null;
  parentDisplayId: number | null;
  /** The routing queue it last waited in (Dixa shows a conversation's queue after assignment too). */
  queue: { uuid: string; queuedAt: Date } | null;
  /** Set once its personal data was erased. */
  anonymizedAt: Date | null;
}

const toDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string | Date);

const parents = alias(conversations, 'parents');

/**
 * The relations of a page of conversations in one query; the times come from the outbox (the
 * conversation's own events, found through events_aggregate_idx), which is where Parley keeps
 * the history of a conversation.
 */
export async function loadConversationRelations(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<Map<number, ConversationRelations>> {
  if (rows.length === 0) return new Map();
  const eventsOf = sql`events e WHERE e.account_id = ${conversations.accountId}
    AND e.aggregate_type = 'conversation' AND e.aggregate_id = ${conversations.id}::text`;
  const lastEntryOf = sql`${routingEntries} r JOIN ${routingQueues} q ON q.id = r.queue_id
    WHERE r.account_id = ${conversations.accountId} AND r.conversation_id = ${conversations.id}
    ORDER BY r.id DESC LIMIT 1`;
  const found = await db
    .select({
      id: conversations.id,
      inbox: {
        id: inboxes.id,
        uuid: inboxes.uuid,
        name: inboxes.name,
        channelType: inboxes.channelType,
        channelSettings: inboxes.channelSettings,
      },
      contactUuid: contacts.uuid,
      contactEmail: contacts.email,
      contactPhone: contacts.phoneNumber,
      sourceId: contactInboxes.sourceId,
      assigneeUuid: users.uuid,
      parentDisplayId: parents.displayId,
      assignedAt: sql<unknown>`(SELECT max(e.occurred_at) FROM ${eventsOf}
        AND (e.type = 'conversation.created' OR e.payload->'changes' ? 'assignee_id'
          OR e.type IN ('conversation.claimed', 'conversation.offer_accepted'))
        AND e.payload->'conversation'->>'assigneeId' = ${conversations.assigneeId}::text)`,
      statusChangedAt: sql<unknown>`(SELECT max(e.occurred_at) FROM ${eventsOf}
        AND e.type = 'conversation.status_changed')`,
      queueUuid: sql<string | null>`(SELECT q.uuid::text FROM ${lastEntryOf})`,
      queuedAt: sql<unknown>`(SELECT r.enqueued_at FROM ${lastEntryOf})`,
      anonymizedAt: sql<unknown>`(SELECT a.processed_at FROM ${anonymizationRequests} a
        WHERE a.account_id = ${conversations.accountId} AND a.entity_type = 'Conversation'
          AND a.target_id = ${conversations.id})`,
    })
    .from(conversations)
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(contactInboxes, eq(contactInboxes.id, conversations.contactInboxId))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .leftJoin(parents, and(eq(parents.id, conversations.parentId), eq(parents.accountId, accountId)))
    .where(
      and(
        eq(conversations.accountId, accountId),
        inArray(
          conversations.id,
          rows.map((row) => row.id),
        ),
      ),
    );
  return new Map(
    found.map((row) => [
      row.id,
      {
        inbox: row.inbox,
        contact: {
          uuid: row.contactUuid,
          email: row.contactEmail,
          phoneNumber: row.contactPhone,
          sourceId: row.sourceId,
        },
        assigneeUuid: row.assigneeUuid,
        assignedAt: toDate(row.assignedAt),
        statusChangedAt: toDate(row.statusChangedAt),
        parentDisplayId: row.parentDisplayId,
        queue:
          row.queueUuid === null || row.queuedAt === null
            ? null
            : { uuid: row.queueUuid, queuedAt: new Date(row.queuedAt as string | Date) },
        anonymizedAt: toDate(row.anonymizedAt),
      },
    ]),
  );
}

/** The account's conversation attribute definitions among `keys`, for naming stored values. */
export async function loadConversationAttributeDefinitions(
  db: Db,
  accountId: number,
  keys: string[],
): Promise<CustomAttributeDefinitionRow[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  return db
    .select()
    .from(customAttributeDefinitions)
    .where(
      and(
        eq(customAttributeDefinitions.accountId, accountId),
        eq(customAttributeDefinitions.attributeModel, 'conversation'),
        inArray(customAttributeDefinitions.attributeKey, unique),
      ),
    );
}
