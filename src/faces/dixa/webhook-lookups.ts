import { and, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations, messages } from '../../core/conversations/conversations.tables.js';
import { labels } from '../../core/labels/labels.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { loadConversationSnapshots } from '../../core/conversations/conversation-snapshots.js';
import type { ConversationSnapshot } from '../../core/conversations/conversations.events.js';

export interface DixaUserRow {
  uuid: string;
  name: string;
  displayName: string | null;
  email: string;
  phoneNumber: string | null;
}

export interface DixaContactRow {
  uuid: string;
  name: string;
  email: string | null;
  phoneNumber: string | null;
}

export interface DixaConversationRow {
  direction: string;
  subject: string | null;
}

export interface DixaTagRow {
  uuid: string;
  isDeactivated: boolean;
}

type Key = `${number}:${number}`;
const keyOf = (accountId: number, id: number): Key => `${accountId}:${id}`;
// Tag names are unique per account case-insensitively, as the labels catalogue keys them.
const tagKeyOf = (accountId: number, name: string) => `${accountId}:${name.toLowerCase()}`;

/**
 * The Dixa ids and fields a webhook shows that Parley's event payloads do not carry (users',
 * contacts' and messages' UUIDs, a conversation's direction and subject), loaded once per batch.
 * Tenant rows are keyed by account as well, so one batch never mixes two accounts' rows.
 */
export class DixaLookups {
  constructor(
    private readonly users: Map<number, DixaUserRow>,
    private readonly contacts: Map<Key, DixaContactRow>,
    private readonly messages: Map<Key, string>,
    private readonly conversations: Map<Key, DixaConversationRow>,
    private readonly tags: Map<string, DixaTagRow> = new Map(),
    private readonly snapshots: Map<Key, ConversationSnapshot> = new Map(),
    private readonly contactPoints: Map<Key, string> = new Map(),
  ) {}

  /**
   * Where the customer reaches the organization on the inbox's channel: its email address, or
   * its phone number (SMS, voice, WhatsApp); null for channels without one (chat, API).
   */
  contactPoint(accountId: number, inboxId: number): string | null {
    return this.contactPoints.get(keyOf(accountId, inboxId)) ?? null;
  }

  /** Conversations an event names only by id (a merge's moved conversations), as they are now. */
  conversationSnapshot(accountId: number, id: number): ConversationSnapshot | null {
    return this.snapshots.get(keyOf(accountId, id)) ?? null;
  }

  static empty(): DixaLookups {
    return new DixaLookups(new Map(), new Map(), new Map(), new Map());
  }

  tag(accountId: number, name: string): DixaTagRow | null {
    return this.tags.get(tagKeyOf(accountId, name)) ?? null;
  }

  user(id: number | null | undefined): DixaUserRow | null {
    return id === null || id === undefined ? null : (this.users.get(id) ?? null);
  }

  contact(accountId: number, id: number): DixaContactRow | null {
    return this.contacts.get(keyOf(accountId, id)) ?? null;
  }

  messageUuid(accountId: number, id: number): string | null {
    return this.messages.get(keyOf(accountId, id)) ?? null;
  }

  conversation(accountId: number, id: number): DixaConversationRow | null {
    return this.conversations.get(keyOf(accountId, id)) ?? null;
  }
}

interface Wanted {
  users: Set<number>;
  contacts: Set<number>;
  messages: Set<number>;
  conversations: Set<number>;
  inboxes: Set<number>;
  tagNames: Set<string>;
  /** Conversation ids without a snapshot in the payload, per account. */
  snapshots: Map<number, Set<number>>;
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** Every id an event's payload refers to, read loosely: an unexpected shape only loads less. */
function collect(event: EventRow, wanted: Wanted): void {
  const payload = event.payload;
  const conversation = record(payload.conversation);
  const changes = record(payload.changes);
  const message = record(payload.message);
  const addUser = (value: unknown) => isId(value) && wanted.users.add(value);
  const addContact = (value: unknown) => isId(value) && wanted.contacts.add(value);
  if (isId(conversation.id)) wanted.conversations.add(conversation.id);
  if (isId(conversation.inboxId)) wanted.inboxes.add(conversation.inboxId);
  for (const name of [conversation.labels, record(changes.labels).from, record(changes.labels).to].flat()) {
    if (typeof name === 'string') wanted.tagNames.add(name.toLowerCase());
  }
  addUser(conversation.assigneeId);
  addContact(record(conversation.contact).id);
  addContact(record(payload.contact).id);
  for (const key of ['assignee_id', 'contact_id'] as const) {
    const change = record(changes[key]);
    const add = key === 'assignee_id' ? addUser : addContact;
    add(change.from);
    add(change.to);
  }
  if (isId(message.id)) wanted.messages.add(message.id);
  if (message.senderType === 'user') addUser(message.senderId);
  if (message.senderType === 'contact') addContact(message.senderId);
  for (const key of ['agentId', 'fromAgentId', 'byUserId'] as const) addUser(payload[key]);
  addUser(record(payload.rating).agentId);
  const moved = Array.isArray(payload.movedConversationIds) ? payload.movedConversationIds.filter(isId) : [];
  if (moved.length > 0) {
    const ids = wanted.snapshots.get(event.accountId) ?? new Set<number>();
    for (const id of moved) {
      ids.add(id);
      wanted.conversations.add(id);
    }
    wanted.snapshots.set(event.accountId, ids);
  }
  const actor = record(event.actor);
  if (actor.type === 'user') addUser(actor.id);
}

/** A loaded snapshot refers to its requester, assignee and tags, which need their ids too. */
function addSnapshotIds(snapshot: ConversationSnapshot, wanted: Wanted): void {
  wanted.contacts.add(snapshot.contact.id);
  wanted.inboxes.add(snapshot.inboxId);
  if (snapshot.assigneeId !== null) wanted.users.add(snapshot.assigneeId);
  for (const name of snapshot.labels) wanted.tagNames.add(name.toLowerCase());
}

/** One query per table for the whole batch. */
export async function loadDixaLookups(db: Db, events: EventRow[]): Promise<DixaLookups> {
  const wanted: Wanted = {
    users: new Set(),
    contacts: new Set(),
    messages: new Set(),
    conversations: new Set(),
    inboxes: new Set(),
    tagNames: new Set(),
    snapshots: new Map(),
  };
  for (const event of events) collect(event, wanted);
  const accountIds = [...new Set(events.map((event) => event.accountId))];
  if (accountIds.length === 0) return DixaLookups.empty();
  const snapshotMaps = await Promise.all(
    [...wanted.snapshots].map(([accountId, ids]) => loadConversationSnapshots(db, accountId, [...ids])),
  );
  for (const map of snapshotMaps) for (const snapshot of map.values()) addSnapshotIds(snapshot, wanted);
  const [userRows, contactRows, messageRows, conversationRows, tagRows, inboxRows] = await Promise.all([
    wanted.users.size === 0
      ? []
      : db
          .select({
            id: users.id,
            uuid: users.uuid,
            name: users.name,
            displayName: users.displayName,
            email: users.email,
            phoneNumber: users.phoneNumber,
          })
          .from(users)
          .where(inArray(users.id, [...wanted.users])),
    wanted.contacts.size === 0
      ? []
      : db
          .select({
            accountId: contacts.accountId,
            id: contacts.id,
            uuid: contacts.uuid,
            name: contacts.name,
            email: contacts.email,
            phoneNumber: contacts.phoneNumber,
          })
          .from(contacts)
          .where(and(inArray(contacts.accountId, accountIds), inArray(contacts.id, [...wanted.contacts]))),
    wanted.messages.size === 0
      ? []
      : db
          .select({ accountId: messages.accountId, id: messages.id, uuid: messages.uuid })
          .from(messages)
          .where(and(inArray(messages.accountId, accountIds), inArray(messages.id, [...wanted.messages]))),
    wanted.conversations.size === 0
      ? []
      : db
          .select({
            accountId: conversations.accountId,
            id: conversations.id,
            direction: conversations.direction,
            subject: conversations.subject,
          })
          .from(conversations)
          .where(
            and(
              inArray(conversations.accountId, accountIds),
              inArray(conversations.id, [...wanted.conversations]),
            ),
          ),
    wanted.tagNames.size === 0
      ? []
      : db
          .select({ accountId: labels.accountId, name: labels.name, uuid: labels.uuid, state: labels.state })
          .from(labels)
          .where(
            and(
              inArray(labels.accountId, accountIds),
              inArray(sql<string>`lower(${labels.name})`, [...wanted.tagNames]),
            ),
          ),
    wanted.inboxes.size === 0
      ? []
      : db
          .select({
            accountId: inboxes.accountId,
            id: inboxes.id,
            channelType: inboxes.channelType,
            // Only the addresses: the settings also hold provider credentials.
            email: sql<string | null>`${inboxes.channelSettings} ->> 'email'`,
            phoneNumber: sql<string | null>`${inboxes.channelSettings} ->> 'phoneNumber'`,
          })
          .from(inboxes)
          .where(and(inArray(inboxes.accountId, accountIds), inArray(inboxes.id, [...wanted.inboxes]))),
  ]);
  return new DixaLookups(
    new Map(userRows.map(({ id, ...row }) => [id, row])),
    new Map(contactRows.map(({ accountId, id, ...row }) => [keyOf(accountId, id), row])),
    new Map(messageRows.map((row) => [keyOf(row.accountId, row.id), row.uuid])),
    new Map(conversationRows.map(({ accountId, id, ...row }) => [keyOf(accountId, id), row])),
    new Map(
      tagRows.map((row) => [
        tagKeyOf(row.accountId, row.name),
        { uuid: row.uuid, isDeactivated: row.state !== 'active' },
      ]),
    ),
    new Map(
      snapshotMaps.flatMap((map) =>
        [...map.values()].map((snapshot) => [keyOf(snapshot.accountId, snapshot.id), snapshot] as const),
      ),
    ),
    new Map(
      inboxRows.flatMap((row) => {
        const point = contactPointOf(row);
        return point === null ? [] : [[keyOf(row.accountId, row.id), point] as const];
      }),
    ),
  );
}

/** The address of the inbox as the contact endpoints list it (an email inbox's address, else its number). */
function contactPointOf(inbox: { channelType: string; email: string | null; phoneNumber: string | null }) {
  const address =
    inbox.channelType === 'email'
      ? inbox.email
      : phoneChannels.has(inbox.channelType)
        ? inbox.phoneNumber
        : null;
  return address?.trim() || null;
}

const phoneChannels = new Set(['sms', 'voice', 'whatsapp']);
