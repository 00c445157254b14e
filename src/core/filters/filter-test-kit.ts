import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { accounts } from '../identity/identity.tables.js';
import { inboxes, type ChannelType } from '../inboxes/inboxes.tables.js';
import { contacts, type ContactRow } from '../contacts/contacts.tables.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';

/** Rows inserted straight into the tables, for tests of the filter SQL. */
export async function insertAccount(db: Db, name = 'Filters Inc'): Promise<number> {
  const [row] = await db.insert(accounts).values({ name }).returning({ id: accounts.id });
  if (!row) throw new Error('no account');
  return row.id;
}

export async function insertInbox(
  db: Db,
  accountId: number,
  channelType: ChannelType = 'api',
): Promise<number> {
  const [row] = await db
    .insert(inboxes)
    .values({ accountId, name: `${channelType} inbox`, channelType, identifier: randomUUID() })
    .returning({ id: inboxes.id });
  if (!row) throw new Error('no inbox');
  return row.id;
}

export async function insertContact(
  db: Db,
  accountId: number,
  values: Partial<typeof contacts.$inferInsert> = {},
): Promise<ContactRow> {
  const [row] = await db
    .insert(contacts)
    .values({ accountId, ...values })
    .returning();
  if (!row) throw new Error('no contact');
  return row;
}

let nextDisplayId = 1000;

export async function insertConversation(
  db: Db,
  values: Partial<typeof conversations.$inferInsert> & {
    accountId: number;
    inboxId: number;
    contactId: number;
  },
): Promise<ConversationRow> {
  const [row] = await db
    .insert(conversations)
    .values({ displayId: nextDisplayId++, ...values })
    .returning();
  if (!row) throw new Error('no conversation');
  return row;
}
