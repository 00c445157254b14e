import { alias } from 'drizzle-orm/pg-core';
import { and, eq, getTableColumns, sql, type Placeholder } from 'drizzle-orm';
import { builtOnce } from '../../platform/db/built-once.js';
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
import { listPageIds, type ConversationListOptions } from './list-conversations.js';

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
 * Everything a view shows, for the conversations of `ids` (an array), in ONE statement: the row,
 * its inbox, contact, contact inbox, team and assignee, and its last message with sender and
 * attachments. Each of those is at most one row per conversation (joined by key), except the
 * attachments, which come aggregated; so a page's relations cost one round trip however many rows
 * it has. Built once (`builtOnce`): its text is the same for every page.
 * The snapshots built from it are the ones `snapshotsOfRows` and `loadMessageSnapshots` build
 * from their per-table queries (the types make both list every field).
 */
function queryViews(db: Db, accountId: Placeholder, ids: Placeholder) {
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
    .where(and(eq(conversations.accountId, accountId), sql`${conversations.id} = ANY(${ids}::bigint[])`));
}

const viewsByIds = builtOnce<ViewRow, { accountId: number; ids: string }>('conversation_views', (db, value) =>
  queryViews(db, value('accountId'), value('ids')),
);

/**
 * Views of the conversations `ids`, in that order. A caller that holds the rows already passes
 * them (`heldRows`): their own fields come from those, as `snapshotsOfRows` does.
 */
async function selectViews(
  db: Db,
  accountId: number,
  ids: number[],
  heldRows?: ReadonlyMap<number, ConversationRow>,
): Promise<ConversationView[]> {
  if (ids.length === 0) return [];
  const found = await viewsByIds(db, { accountId, ids: `{${ids.join(',')}}` });
  const byId = new Map(found.map((row) => [row.row.id, row]));
  return ids.flatMap((id) => {
    const found = byId.get(id);
    if (!found) return [];
    const { inbox, contact } = found;
    const row = heldRows?.get(id) ?? found.row;
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
  const held = new Map(rows.map((row) => [row.id, row]));
  return selectViews(db, accountId, [...held.keys()], held);
}

/** One list page (see listConversations) as views: the page's ids, then their relations. */
export async function listConversationViews(
  db: Db,
  accountId: number,
  options: ConversationListOptions,
): Promise<ConversationView[]> {
  // Two statements, not the page as a subquery of the views: the views' text is then the same
  // for every page and is built once, which costs less than the round trip it adds.
  const page = await listPageIds(db, accountId, options);
  return selectViews(
    db,
    accountId,
    page.map((row) => row.id),
  );
}

export async function loadConversationView(db: Db, row: ConversationRow): Promise<ConversationView> {
  const [view] = await loadConversationViews(db, row.accountId, [row]);
  if (!view) throw new Error(`conversation ${row.id}: view missing`);
  return view;
}
