import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { users } from '../identity/identity.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { conversations, messages } from '../conversations/conversations.tables.js';
import type { ActivityLogRow } from './activity-log.tables.js';
import type { ActivityType } from './activity-types.js';

/** An agent or end user as the log shows them, with their current name (renames and anonymization show). */
export interface ActivityPerson {
  uuid: string;
  name: string | null;
  email: string | null;
  phoneNumber: string | null;
}

/** The activity's particulars, resolved from the ids stored with it; which ones depend on the type. */
export interface ActivityDetails {
  subject?: string;
  agent?: ActivityPerson;
  agents?: ActivityPerson[];
  fromAgent?: ActivityPerson;
  queue?: { uuid?: string; name: string };
  message?: { uuid: string; content: string | null };
  tag?: string;
  score?: number;
  comment?: string;
  language?: string;
  oldEndUser?: ActivityPerson;
  newEndUser?: ActivityPerson;
}

export interface ActivityEntry {
  uuid: string;
  conversationDisplayId: number;
  activityType: ActivityType;
  occurredAt: Date;
  author: ActivityPerson | null;
  details: ActivityDetails;
}

const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const nums = (value: unknown): number[] =>
  Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
const present = <T>(values: (T | null | undefined)[]): T[] =>
  values.filter((value): value is T => value != null);

/** The ids a page of rows refers to, so each related table is read once per page. */
function referencesOf(rows: ActivityLogRow[]) {
  const userIds = new Set<number>();
  const contactIds = new Set<number>();
  const messageIds = new Set<number>();
  for (const row of rows) {
    const a = row.attributes;
    if (row.authorId !== null) (row.authorType === 'agent' ? userIds : contactIds).add(row.authorId);
    for (const id of present([num(a.agentId), num(a.fromAgentId), ...nums(a.agentIds)])) userIds.add(id);
    for (const id of present([num(a.oldContactId), num(a.newContactId)])) contactIds.add(id);
    const messageId = num(a.messageId);
    if (messageId !== null) messageIds.add(messageId);
  }
  return { userIds: [...userIds], contactIds: [...contactIds], messageIds: [...messageIds] };
}

async function loadPeople(db: Db, accountId: number, refs: ReturnType<typeof referencesOf>) {
  const [agentRows, contactRows, messageRows] = await Promise.all([
    refs.userIds.length === 0
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
          .where(inArray(users.id, refs.userIds)),
    refs.contactIds.length === 0
      ? []
      : db
          .select({
            id: contacts.id,
            uuid: contacts.uuid,
            name: contacts.name,
            email: contacts.email,
            phoneNumber: contacts.phoneNumber,
          })
          .from(contacts)
          .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, refs.contactIds))),
    refs.messageIds.length === 0
      ? []
      : db
          .select({ id: messages.id, uuid: messages.uuid, content: messages.content })
          .from(messages)
          .where(and(eq(messages.accountId, accountId), inArray(messages.id, refs.messageIds))),
  ]);
  return {
    agents: new Map(
      agentRows.map((row) => [
        row.id,
        { uuid: row.uuid, name: row.displayName ?? row.name, email: row.email, phoneNumber: row.phoneNumber },
      ]),
    ),
    endUsers: new Map(
      contactRows.map((row) => [
        row.id,
        { uuid: row.uuid, name: row.name, email: row.email, phoneNumber: row.phoneNumber },
      ]),
    ),
    messages: new Map(messageRows.map((row) => [row.id, { uuid: row.uuid, content: row.content }])),
  };
}

type People = Awaited<ReturnType<typeof loadPeople>>;

function detailsOf(row: ActivityLogRow, people: People, subject: string | null): ActivityDetails {
  const a = row.attributes;
  const agentOf = (id: number | null) => (id === null ? undefined : people.agents.get(id));
  const endUserOf = (id: number | null) => (id === null ? undefined : people.endUsers.get(id));
  const queueName = str(a.queueName);
  const messageId = num(a.messageId);
  const details: ActivityDetails = {
    subject: row.activityType.startsWith('ConversationCreated') ? (subject ?? undefined) : undefined,
    agent: agentOf(num(a.agentId)),
    agents:
      a.agentIds === undefined ? undefined : present(nums(a.agentIds).map((id) => people.agents.get(id))),
    fromAgent: agentOf(num(a.fromAgentId)),
    queue:
      queueName === null
        ? undefined
        : { name: queueName, ...(str(a.queueUuid) && { uuid: str(a.queueUuid) ?? '' }) },
    message: messageId === null ? undefined : people.messages.get(messageId),
    tag: str(a.tag) ?? undefined,
    score: num(a.score) ?? undefined,
    comment: str(a.comment) ?? undefined,
    language: str(a.language) ?? undefined,
    oldEndUser: endUserOf(num(a.oldContactId)),
    newEndUser: endUserOf(num(a.newContactId)),
  };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

/** Rows to entries: the conversations, agents, end users and messages of the page in one read each. */
export async function resolveActivity(
  db: Db,
  accountId: number,
  rows: ActivityLogRow[],
): Promise<ActivityEntry[]> {
  if (rows.length === 0) return [];
  const conversationIds = [...new Set(rows.map((row) => row.conversationId))];
  const [conversationRows, people] = await Promise.all([
    db
      .select({ id: conversations.id, displayId: conversations.displayId, subject: conversations.subject })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, conversationIds))),
    loadPeople(db, accountId, referencesOf(rows)),
  ]);
  const conversationById = new Map(conversationRows.map((row) => [row.id, row]));
  return rows.flatMap((row) => {
    const conversation = conversationById.get(row.conversationId);
    if (!conversation) return [];
    const author =
      row.authorId === null
        ? null
        : ((row.authorType === 'agent' ? people.agents : people.endUsers).get(row.authorId) ?? null);
    return [
      {
        uuid: row.uuid,
        conversationDisplayId: conversation.displayId,
        activityType: row.activityType,
        occurredAt: row.occurredAt,
        author,
        details: detailsOf(row, people, conversation.subject),
      },
    ];
  });
}
