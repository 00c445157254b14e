import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, users } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { teams } from '../teams/teams.tables.js';

/** PostgreSQL's text-search document; read as its text form, never written (it is generated). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const conversationStatuses = ['open', 'resolved', 'pending', 'snoozed'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const conversationDirections = ['inbound', 'outbound'] as const;
export type ConversationDirection = (typeof conversationDirections)[number];

export const conversationLinkTypes = ['side_conversation', 'follow_up', 'email_forward'] as const;
export type ConversationLinkType = (typeof conversationLinkTypes)[number];

export const conversationPriorities = ['low', 'medium', 'high', 'urgent'] as const;
export type ConversationPriority = (typeof conversationPriorities)[number];

/**
 * Display ids come from one PostgreSQL sequence per account (`conversation_display_ids_<account id>`,
 * created and dropped by triggers on `accounts`, migration 0048), as Chatwoot numbers them: `nextval`
 * takes no row lock, so conversations opening at once in one account do not queue behind each other's
 * transactions. Like any sequence it leaves a gap when a transaction rolls back.
 */
export function displayIdSequence(accountId: number): string {
  if (!Number.isSafeInteger(accountId) || accountId <= 0) throw new Error(`bad account id ${accountId}`);
  return `conversation_display_ids_${accountId}`;
}

/**
 * A thread between a contact and the team in one inbox. `displayId` is the per-account number
 * people see; `id` is internal. Counters (`unreadCount`) and the last message are kept on the row
 * so lists read one row per conversation.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    displayId: bigint('display_id', { mode: 'number' }).notNull(),
    uuid: uuid('uuid').notNull().defaultRandom(),
    inboxId: bigint('inbox_id', { mode: 'number' })
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    contactId: bigint('contact_id', { mode: 'number' })
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    contactInboxId: bigint('contact_inbox_id', { mode: 'number' }).references(() => contactInboxes.id, {
      onDelete: 'set null',
    }),
    /** Who started it: the contact (inbound) or the team (outbound). */
    direction: text('direction', { enum: conversationDirections }).notNull().default('inbound'),
    subject: text('subject'),
    language: text('language'),
    /** The conversation this one hangs off (a side conversation, a follow-up, a forward). */
    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => conversations.id, {
      onDelete: 'set null',
    }),
    linkType: text('link_type', { enum: conversationLinkTypes }),
    status: text('status', { enum: conversationStatuses }).notNull().default('open'),
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    priority: text('priority', { enum: conversationPriorities }),
    assigneeId: bigint('assignee_id', { mode: 'number' }).references(() => users.id, {
      onDelete: 'set null',
    }),
    teamId: bigint('team_id', { mode: 'number' }).references(() => teams.id, { onDelete: 'set null' }),
    labels: text('labels').array().notNull().default([]),
    customAttributes: jsonb('custom_attributes').$type<Record<string, unknown>>().notNull().default({}),
    additionalAttributes: jsonb('additional_attributes')
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    muted: boolean('muted').notNull().default(false),
    unreadCount: integer('unread_count').notNull().default(0),
    lastNonActivityMessageId: bigint('last_non_activity_message_id', { mode: 'number' }),
    agentLastSeenAt: timestamp('agent_last_seen_at', { withTimezone: true }),
    assigneeLastSeenAt: timestamp('assignee_last_seen_at', { withTimezone: true }),
    contactLastSeenAt: timestamp('contact_last_seen_at', { withTimezone: true }),
    firstReplyCreatedAt: timestamp('first_reply_created_at', { withTimezone: true }),
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set once an anonymization request overwrote its messages (GDPR); Dixa shows it as AnonymizedConversation. */
    anonymizedAt: timestamp('anonymized_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('conversations_display_id_key').on(table.accountId, table.displayId),
    index('conversations_status_activity_idx').on(
      table.accountId,
      table.status,
      table.lastActivityAt.desc(),
      table.id.desc(),
    ),
    index('conversations_assignee_idx').on(
      table.accountId,
      table.assigneeId,
      table.status,
      table.lastActivityAt.desc(),
    ),
    // id completes the list order, and assignee_id lets the tab counts of a filtered list be an
    // index-only scan instead of visiting every matching row.
    index('conversations_inbox_idx').on(
      table.accountId,
      table.inboxId,
      table.status,
      table.lastActivityAt.desc(),
      table.id.desc(),
      table.assigneeId,
    ),
    index('conversations_team_idx')
      .on(
        table.accountId,
        table.teamId,
        table.status,
        table.lastActivityAt.desc(),
        table.id.desc(),
        table.assigneeId,
      )
      .where(sql`${table.teamId} IS NOT NULL`),
    index('conversations_contact_idx').on(table.contactId, table.id),
    index('conversations_parent_idx')
      .on(table.parentId)
      .where(sql`${table.parentId} IS NOT NULL`),
    index('conversations_labels_idx').using('gin', table.labels),
    // Reports count conversations created in a range by their inbox, team, assignee and status:
    // with those in the index, a 180-day range is an index-only scan, not 200k heap visits.
    index('conversations_account_created_idx').on(
      table.accountId,
      table.createdAt,
      table.inboxId,
      table.teamId,
      table.assigneeId,
      table.status,
    ),
    uniqueIndex('conversations_uuid_key').on(table.uuid),
    index('conversations_snoozed_idx')
      .on(table.snoozedUntil)
      .where(sql`${table.status} = 'snoozed'`),
  ],
);

/**
 * How many conversations each (account, inbox, status, assignee) holds, summed over slots, kept by statement-level
 * triggers on conversations (migration 0004), so the list's tab counts read a handful of rows
 * instead of counting every open conversation. `assigneeId` 0 means unassigned. No foreign keys:
 * cascaded deletes of conversations decrement rows of an account or inbox that is going away.
 */
export const conversationTallies = pgTable(
  'conversation_tallies',
  {
    accountId: bigint('account_id', { mode: 'number' }).notNull(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    status: text('status', { enum: conversationStatuses }).notNull(),
    assigneeId: bigint('assignee_id', { mode: 'number' }).notNull(),
    /**
     * The writer's database session (backend pid mod 8): concurrent writers of one key add to
     * different rows rather than waiting on each other's row lock; readers sum the slots.
     */
    slot: smallint('slot').notNull().default(0),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.accountId, table.inboxId, table.status, table.assigneeId, table.slot] }),
  ],
);

export const messageTypes = ['incoming', 'outgoing', 'activity', 'template'] as const;
export type MessageType = (typeof messageTypes)[number];

export const messageStatuses = ['sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];

export const senderTypes = ['contact', 'user', 'agent_bot'] as const;
export type SenderType = (typeof senderTypes)[number];

/**
 * One message in a conversation. `sourceId` is the channel's id (unique per inbox) and `echoId`
 * the client's id (unique per conversation): a message delivered twice is stored once.
 */
export const messages = pgTable(
  'messages',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    conversationId: bigint('conversation_id', { mode: 'number' })
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The id faces that speak UUIDs (Dixa) use for this message. */
    uuid: uuid('uuid').notNull().defaultRandom(),
    inboxId: bigint('inbox_id', { mode: 'number' }).notNull(),
    messageType: text('message_type', { enum: messageTypes }).notNull(),
    content: text('content'),
    contentType: text('content_type').notNull().default('text'),
    contentAttributes: jsonb('content_attributes').$type<Record<string, unknown>>().notNull().default({}),
    isPrivate: boolean('private').notNull().default(false),
    status: text('status', { enum: messageStatuses }).notNull().default('sent'),
    sourceId: text('source_id'),
    echoId: text('echo_id'),
    senderType: text('sender_type', { enum: senderTypes }),
    senderId: bigint('sender_id', { mode: 'number' }),
    externalSourceIds: jsonb('external_source_ids').$type<Record<string, unknown>>().notNull().default({}),
    additionalAttributes: jsonb('additional_attributes')
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Full-text search document (src/core/search). 'simple' only lower-cases: no stemming or stop
     * words, so it treats every language alike and matches the words people typed.
     */
    contentTsv: tsvector('content_tsv').generatedAlwaysAs(
      sql`to_tsvector('simple', coalesce("content", ''))`,
    ),
  },
  (table) => [
    index('messages_conversation_idx').on(table.conversationId, table.id),
    // Composite through btree_gin (migration 0017): the account's rows are picked inside the index.
    index('messages_content_tsv_idx').using('gin', table.accountId, table.contentTsv),
    uniqueIndex('messages_uuid_key').on(table.uuid),
    uniqueIndex('messages_source_key')
      .on(table.inboxId, table.sourceId)
      .where(sql`${table.sourceId} IS NOT NULL`),
    uniqueIndex('messages_echo_key')
      .on(table.conversationId, table.echoId)
      .where(sql`${table.echoId} IS NOT NULL`),
    index('messages_account_created_idx').on(table.accountId, table.createdAt),
  ],
);

export const attachmentFileTypes = ['image', 'audio', 'video', 'file', 'location', 'fallback'] as const;
export type AttachmentFileType = (typeof attachmentFileTypes)[number];

/** A file on a message, stored through the blob storage under `blobKey`, or an external link. */
export const attachments = pgTable(
  'attachments',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    fileType: text('file_type', { enum: attachmentFileTypes }).notNull(),
    blobKey: text('blob_key'),
    externalUrl: text('external_url'),
    fileName: text('file_name'),
    contentType: text('content_type'),
    byteSize: bigint('byte_size', { mode: 'number' }),
    coordinates: jsonb('coordinates').$type<{ lat: number; long: number }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('attachments_message_idx').on(table.messageId)],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
