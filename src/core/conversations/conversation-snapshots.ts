import { and, eq, inArray } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { builtOnce } from '../../platform/db/built-once.js';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { contactInboxes, contacts, type ContactRow } from '../contacts/contacts.tables.js';
import type { ContactSnapshot } from '../contacts/contacts.events.js';
import { teams } from '../teams/teams.tables.js';
import { conversations, type ConversationRow } from './conversations.tables.js';
import type { ConversationSnapshot } from './conversations.events.js';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

const contactSnapshotKeys = [
  'id',
  'accountId',
  'name',
  'email',
  'phoneNumber',
  'identifier',
  'avatarUrl',
  'blocked',
  'contactType',
  'additionalAttributes',
  'customAttributes',
  'labels',
  'lastActivityAt',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof ContactRow)[];

type ContactSnapshotKey = (typeof contactSnapshotKeys)[number];

/** The contact fields a snapshot shows. */
export type ContactSnapshotRow = Pick<ContactRow, ContactSnapshotKey>;

/**
 * The columns of `table` (contacts or an alias of it) that a snapshot shows: a query that only
 * builds snapshots selects these, not the whole row (15 of 23 columns, each one a value for the
 * driver to parse and Drizzle to map on every row).
 */
export function contactSnapshotColumns<Table extends Record<ContactSnapshotKey, AnyPgColumn>>(
  table: Table,
): Pick<Table, ContactSnapshotKey> {
  return Object.fromEntries(contactSnapshotKeys.map((key) => [key, table[key]])) as Pick<
    Table,
    ContactSnapshotKey
  >;
}

/** A contact as events carry it (kept here so snapshots need nothing but rows). */
export function contactSnapshotOf(row: ContactSnapshotRow): ContactSnapshot {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    email: row.email,
    phoneNumber: row.phoneNumber,
    identifier: row.identifier,
    avatarUrl: row.avatarUrl,
    blocked: row.blocked,
    contactType: row.contactType,
    additionalAttributes: row.additionalAttributes,
    customAttributes: row.customAttributes,
    labels: row.labels,
    lastActivityAt: iso(row.lastActivityAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type UserSummary = NonNullable<ConversationSnapshot['assignee']>;

/** Agents of one account by id, with their availability in that account. */
export async function loadUserSummaries(
  db: Db,
  accountId: number,
  userIds: number[],
): Promise<Map<number, UserSummary>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      displayName: users.displayName,
      email: users.email,
      avatarUrl: users.avatarUrl,
      availability: accountUsers.availability,
    })
    .from(users)
    .leftJoin(accountUsers, and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, accountId)))
    .where(inArray(users.id, ids));
  return new Map(rows.map((row) => [row.id, { ...row, availability: row.availability ?? 'offline' }]));
}

/** The related rows a conversation snapshot embeds, however the caller loaded them. */
export type ConversationRelations = Pick<
  ConversationSnapshot,
  'inbox' | 'contact' | 'contactInbox' | 'assignee' | 'team'
>;

export function conversationSnapshotOf(
  row: ConversationRow,
  related: ConversationRelations,
): ConversationSnapshot {
  return {
    id: row.id,
    displayId: row.displayId,
    uuid: row.uuid,
    accountId: row.accountId,
    inboxId: row.inboxId,
    inbox: related.inbox,
    contact: related.contact,
    contactInbox: related.contactInbox,
    status: row.status,
    snoozedUntil: iso(row.snoozedUntil),
    priority: row.priority,
    assigneeId: row.assigneeId,
    assignee: related.assignee,
    teamId: row.teamId,
    team: related.team,
    labels: row.labels,
    customAttributes: row.customAttributes,
    additionalAttributes: row.additionalAttributes,
    muted: row.muted,
    unreadCount: row.unreadCount,
    agentLastSeenAt: iso(row.agentLastSeenAt),
    assigneeLastSeenAt: iso(row.assigneeLastSeenAt),
    contactLastSeenAt: iso(row.contactLastSeenAt),
    firstReplyCreatedAt: iso(row.firstReplyCreatedAt),
    waitingSince: iso(row.waitingSince),
    lastActivityAt: row.lastActivityAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Snapshots for many conversations of one account: one query per related table, whatever the
 * number of conversations, so a list page costs a fixed number of round trips.
 */
export async function loadConversationSnapshots(
  db: Db,
  accountId: number,
  conversationIds: number[],
): Promise<Map<number, ConversationSnapshot>> {
  const ids = [...new Set(conversationIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, ids)));
  return snapshotsOfRows(db, accountId, rows);
}

/** Like loadConversationSnapshots, for rows the caller already holds (e.g. just updated). */
export async function snapshotsOfRows(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<Map<number, ConversationSnapshot>> {
  if (rows.length === 0) return new Map();
  const unique = <T>(values: (T | null)[]) => [...new Set(values.filter((value) => value !== null))] as T[];
  const inboxIds = unique(rows.map((row) => row.inboxId));
  const contactIds = unique(rows.map((row) => row.contactId));
  const contactInboxIds = unique(rows.map((row) => row.contactInboxId));
  const teamIds = unique(rows.map((row) => row.teamId));
  const [inboxRows, contactRows, contactInboxRows, teamRows, assignees] = await Promise.all([
    db
      .select({ id: inboxes.id, name: inboxes.name, channelType: inboxes.channelType })
      .from(inboxes)
      .where(and(eq(inboxes.accountId, accountId), inArray(inboxes.id, inboxIds))),
    db
      .select(contactSnapshotColumns(contacts))
      .from(contacts)
      .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, contactIds))),
    contactInboxIds.length === 0
      ? Promise.resolve([])
      : db
          .select({
            id: contactInboxes.id,
            sourceId: contactInboxes.sourceId,
            hmacVerified: contactInboxes.hmacVerified,
          })
          .from(contactInboxes)
          .where(and(eq(contactInboxes.accountId, accountId), inArray(contactInboxes.id, contactInboxIds))),
    teamIds.length === 0
      ? Promise.resolve([])
      : db
          .select({ id: teams.id, name: teams.name })
          .from(teams)
          .where(and(eq(teams.accountId, accountId), inArray(teams.id, teamIds))),
    loadUserSummaries(db, accountId, unique(rows.map((row) => row.assigneeId))),
  ]);
  const inboxById = new Map(inboxRows.map((row) => [row.id, row]));
  const contactById = new Map(contactRows.map((row) => [row.id, contactSnapshotOf(row)]));
  const contactInboxById = new Map(contactInboxRows.map((row) => [row.id, row]));
  const teamById = new Map(teamRows.map((row) => [row.id, row]));
  const result = new Map<number, ConversationSnapshot>();
  for (const row of rows) {
    const inbox = inboxById.get(row.inboxId);
    const contact = contactById.get(row.contactId);
    if (!inbox || !contact) continue;
    result.set(
      row.id,
      conversationSnapshotOf(row, {
        inbox,
        contact,
        contactInbox: row.contactInboxId === null ? null : (contactInboxById.get(row.contactInboxId) ?? null),
        assignee: row.assigneeId === null ? null : (assignees.get(row.assigneeId) ?? null),
        team: row.teamId === null ? null : (teamById.get(row.teamId) ?? null),
      }),
    );
  }
  return result;
}

/**
 * What a query that joins a conversation's relations by key selects of them: inbox, contact,
 * contact inbox, team, and the assignee (users) with the availability of the assignee's
 * membership of the account (`availability`: account_users' column, or an alias's).
 */
export function conversationRelationColumns<Availability extends AnyPgColumn>(availability: Availability) {
  return {
    inbox: { id: inboxes.id, name: inboxes.name, channelType: inboxes.channelType },
    contact: contactSnapshotColumns(contacts),
    contactInbox: {
      id: contactInboxes.id,
      sourceId: contactInboxes.sourceId,
      hmacVerified: contactInboxes.hmacVerified,
    },
    team: { id: teams.id, name: teams.name },
    assignee: {
      id: users.id,
      name: users.name,
      displayName: users.displayName,
      email: users.email,
      avatarUrl: users.avatarUrl,
    },
    assigneeAvailability: availability,
  };
}

/** The relations as a snapshot embeds them, from a row `conversationRelationColumns` selected. */
export function relationsFrom(selected: {
  inbox: ConversationRelations['inbox'];
  contact: ContactSnapshotRow;
  contactInbox: ConversationRelations['contactInbox'];
  team: ConversationRelations['team'];
  assignee: Omit<UserSummary, 'availability'> | null;
  assigneeAvailability: UserSummary['availability'] | null;
}): ConversationRelations {
  const { assignee, assigneeAvailability } = selected;
  return {
    inbox: selected.inbox,
    contact: contactSnapshotOf(selected.contact),
    contactInbox: selected.contactInbox,
    team: selected.team,
    assignee: assignee && { ...assignee, availability: assigneeAvailability ?? 'offline' },
  };
}

type RelatedRow = Parameters<typeof relationsFrom>[0];

interface RelationIds extends Record<string, unknown> {
  accountId: number;
  inboxId: number;
  contactId: number;
  /** A null id matches nothing (`= NULL`), as the conversation has no such relation. */
  contactInboxId: number | null;
  teamId: number | null;
  assigneeId: number | null;
}

/** A conversation's relations by their ids, in one join; built once (see `builtOnce`). */
const relationsByIds = builtOnce<RelatedRow, RelationIds>('conversation_relations', (db, placeholder) =>
  db
    .select(conversationRelationColumns(accountUsers.availability))
    .from(inboxes)
    .innerJoin(
      contacts,
      and(eq(contacts.accountId, placeholder('accountId')), eq(contacts.id, placeholder('contactId'))),
    )
    .leftJoin(
      contactInboxes,
      and(
        eq(contactInboxes.accountId, placeholder('accountId')),
        eq(contactInboxes.id, placeholder('contactInboxId')),
      ),
    )
    .leftJoin(teams, and(eq(teams.accountId, placeholder('accountId')), eq(teams.id, placeholder('teamId'))))
    .leftJoin(users, eq(users.id, placeholder('assigneeId')))
    .leftJoin(
      accountUsers,
      and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, placeholder('accountId'))),
    )
    .where(and(eq(inboxes.accountId, placeholder('accountId')), eq(inboxes.id, placeholder('inboxId')))),
);

/**
 * One conversation's relations (inbox, contact, contact inbox, team, assignee) in one statement,
 * a join on the row's ids. A writer that keeps those ids can read them beside its own write.
 */
export async function relationsOfRow(db: Db, row: ConversationRow): Promise<ConversationRelations> {
  const [related] = await relationsByIds(db, {
    accountId: row.accountId,
    inboxId: row.inboxId,
    contactId: row.contactId,
    contactInboxId: row.contactInboxId,
    teamId: row.teamId,
    assigneeId: row.assigneeId,
  });
  if (!related) throw notFound('Conversation');
  return relationsFrom(related);
}

/**
 * One conversation's snapshot from a row the caller holds: its relations in one statement (a
 * join on their ids), as every single-conversation change needs it in its transaction.
 */
export async function snapshotOfRow(db: Db, row: ConversationRow): Promise<ConversationSnapshot> {
  return conversationSnapshotOf(row, await relationsOfRow(db, row));
}
