import { alias } from 'drizzle-orm/pg-core';
import { and, asc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { parsedJson, type Db } from '../../platform/db/database.js';
import { agentBots } from '../agent-bots/agent-bots.tables.js';
import { contactInboxes, contacts } from '../contacts/contacts.tables.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { teams } from '../teams/teams.tables.js';
import { attachments, conversations, messages, type ConversationRow } from './conversations.tables.js';
import type {
  AttachmentSnapshot,
  ConversationSnapshot,
  MessageSnapshot,
  SenderSnapshot,
} from './conversations.events.js';
import {
  contactSnapshotColumns,
  conversationRelationColumns,
  conversationSnapshotOf,
  relationsFrom,
} from './conversation-snapshots.js';
import { botSenderOf, contactSenderOf, messageSnapshotFrom, userSenderOf } from './message-snapshots.js';
import {
  conversationListOrder,
  conversationPageIds,
  type ConversationListOptions,
} from './list-conversations.js';

export interface ConversationView {
  conversation: ConversationSnapshot;
  lastMessage: MessageSnapshot | null;
}

const assigneeMembers = alias(accountUsers, 'assignee_members');
const lastMessages = alias(messages, 'last_messages');
const senderContacts = alias(contacts, 'sender_contacts');
const senderUsers = alias(users, 'sender_users');
const senderBots = alias(agentBots, 'sender_bots');

const { contentTsv: _contentTsv, ...messageColumns } = getTableColumns(lastMessages);

/**
 * Everything a view shows, for the conversations `where` picks, in ONE statement: the row, its
 * inbox, contact, contact inbox, team and assignee, and its last message with sender and
 * attachments. Each of those is at most one row per conversation (joined by key), except the
 * attachments, which come aggregated; so a page costs one round trip however many rows it has.
 * The snapshots built from it are the ones `snapshotsOfRows` and `loadMessageSnapshots` build
 * from their per-table queries (the types make both list every field).
 */
function queryViews(db: Db, accountId: number, where: SQL, order: SQL[]) {
  const attachmentList = sql`(SELECT json_agg(json_build_object(
      'id', ${attachments.id}, 'fileType', ${attachments.fileType}, 'fileName', ${attachments.fileName},
      'contentType', ${attachments.contentType}, 'byteSize', ${attachments.byteSize},
      'blobKey', ${attachments.blobKey}, 'externalUrl', ${attachments.externalUrl},
      'coordinates', ${attachments.coordinates}) ORDER BY ${attachments.id})
    FROM ${attachments} WHERE ${attachments.accountId} = ${accountId}
      AND ${attachments.messageId} = ${lastMessages.id})`.mapWith(parsedJson);
  return db
    .select({
      row: getTableColumns(conversations),
      ...conversationRelationColumns(assigneeMembers.availability),
      message: messageColumns,
      attachments: attachmentList,
      senderContact: contactSnapshotColumns(senderContacts),
      senderUser: {
        id: senderUsers.id,
        name: senderUsers.name,
        displayName: senderUsers.displayName,
        email: senderUsers.email,
        avatarUrl: senderUsers.avatarUrl,
      },
      senderBot: { id: senderBots.id, name: senderBots.name, avatarUrl: senderBots.avatarUrl },
    })
    .from(conversations)
    .leftJoin(inboxes, and(eq(inboxes.accountId, accountId), eq(inboxes.id, conversations.inboxId)))
    .leftJoin(contacts, and(eq(contacts.accountId, accountId), eq(contacts.id, conversations.contactId)))
    .leftJoin(
      contactInboxes,
      and(eq(contactInboxes.accountId, accountId), eq(contactInboxes.id, conversations.contactInboxId)),
    )
    .leftJoin(teams, and(eq(teams.accountId, accountId), eq(teams.id, conversations.teamId)))
    .leftJoin(users, eq(users.id, conversations.assigneeId))
    .leftJoin(
      assigneeMembers,
      and(eq(assigneeMembers.userId, users.id), eq(assigneeMembers.accountId, accountId)),
    )
    .leftJoin(
      lastMessages,
      and(
        eq(lastMessages.accountId, accountId),
        eq(lastMessages.id, conversations.lastNonActivityMessageId),
        eq(lastMessages.conversationId, conversations.id),
      ),
    )
    .leftJoin(
      senderContacts,
      and(
        eq(lastMessages.senderType, 'contact'),
        eq(senderContacts.accountId, accountId),
        eq(senderContacts.id, lastMessages.senderId),
      ),
    )
    .leftJoin(
      senderUsers,
      and(eq(lastMessages.senderType, 'user'), eq(senderUsers.id, lastMessages.senderId)),
    )
    .leftJoin(
      senderBots,
      and(eq(lastMessages.senderType, 'agent_bot'), eq(senderBots.id, lastMessages.senderId)),
    )
    .where(and(eq(conversations.accountId, accountId), where))
    .orderBy(...order);
}

/**
 * Views of the conversations `where` picks, in `order`. A caller that holds the rows already
 * passes them (`heldRows`): their own fields come from those, as `snapshotsOfRows` does.
 */
async function selectViews(
  db: Db,
  accountId: number,
  where: SQL,
  order: SQL[],
  heldRows?: ReadonlyMap<number, ConversationRow>,
): Promise<ConversationView[]> {
  const found = await queryViews(db, accountId, where, order);
  return found.flatMap((found) => {
    const { inbox, contact } = found;
    const row = heldRows?.get(found.row.id) ?? found.row;
    if (!inbox || !contact) return [];
    const conversation = conversationSnapshotOf(row, relationsFrom({ ...found, inbox, contact }));
    const message = found.message;
    const lastMessage =
      message &&
      messageSnapshotFrom(
        message,
        row.displayId,
        senderOf(found),
        (found.attachments as AttachmentSnapshot[] | null) ?? [],
      );
    return [{ conversation, lastMessage }];
  });
}

type ViewRow = Awaited<ReturnType<typeof queryViews>>[number];

function senderOf({ message, senderContact, senderUser, senderBot }: ViewRow): SenderSnapshot | null {
  if (!message?.senderType || message.senderId === null) return null;
  if (message.senderType === 'contact' && senderContact) return contactSenderOf(senderContact);
  if (message.senderType === 'user' && senderUser) return userSenderOf(senderUser);
  if (message.senderType === 'agent_bot' && senderBot) return botSenderOf(senderBot);
  return null;
}

/**
 * What a face needs to show conversations: snapshots and last messages, in one query whatever
 * the number of rows. Order follows `rows`.
 */
export async function loadConversationViews(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<ConversationView[]> {
  if (rows.length === 0) return [];
  const held = new Map(rows.map((row) => [row.id, row]));
  const views = await selectViews(
    db,
    accountId,
    inArray(conversations.id, [...held.keys()]),
    [asc(conversations.id)],
    held,
  );
  const byId = new Map(views.map((view) => [view.conversation.id, view]));
  return rows.flatMap((row) => {
    const view = byId.get(row.id);
    return view ? [view] : [];
  });
}

/** One list page (see listConversations) as views, page and relations in a single query. */
export async function listConversationViews(
  db: Db,
  accountId: number,
  options: ConversationListOptions,
): Promise<ConversationView[]> {
  // ARRAY(...) makes the page's ids an init plan, so the 25 rows are fetched first and then
  // joined; as a semi-join (IN) the planner, bound by join_collapse_limit over this many joins,
  // joined every conversation of the account to its relations before picking the page.
  const pageIds = conversationPageIds(db, accountId, options);
  return selectViews(db, accountId, sql`${conversations.id} = ANY(ARRAY(${pageIds}))`, conversationListOrder);
}

export async function loadConversationView(db: Db, row: ConversationRow): Promise<ConversationView> {
  const [view] = await loadConversationViews(db, row.accountId, [row]);
  if (!view) throw new Error(`conversation ${row.id}: view missing`);
  return view;
}
