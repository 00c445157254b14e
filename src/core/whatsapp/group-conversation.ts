import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/events/outbox.js';
import { ensureContactInbox } from '../contacts/contact-inboxes.js';
import { conversations, type ConversationRow } from '../conversations/conversations.tables.js';
import { createConversation } from '../conversations/create-conversation.js';
import type { ContactRow } from '../contacts/contacts.tables.js';

/** The group's conversations still being worked (open, pending or snoozed) in the inbox. */
export async function listUnresolvedGroupConversations(
  tx: Db,
  input: { accountId: number; inboxId: number; groupContactId: number },
): Promise<ConversationRow[]> {
  return tx
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, input.accountId),
        eq(conversations.inboxId, input.inboxId),
        eq(conversations.contactId, input.groupContactId),
        inArray(conversations.status, ['open', 'pending', 'snoozed']),
      ),
    )
    .orderBy(desc(conversations.id));
}

/**
 * The conversation a group message goes to: the group's latest unresolved one in the inbox, or a
 * new one whose contact is the group (each message then names its member sender). The advisory
 * lock keeps two messages arriving together from opening two conversations.
 */
export async function ensureGroupConversation(
  tx: Db,
  input: { accountId: number; inboxId: number; group: ContactRow & { groupJid: string }; actor: Actor },
): Promise<ConversationRow> {
  const { accountId, inboxId, group } = input;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`wa-group-conv:${accountId}:${group.id}`}))`);
  const [latest] = await listUnresolvedGroupConversations(tx, {
    accountId,
    inboxId,
    groupContactId: group.id,
  });
  if (latest) return latest;
  const contactInbox = await ensureContactInbox(tx, {
    accountId,
    contactId: group.id,
    inboxId,
    sourceId: group.groupJid,
  });
  return createConversation(tx, {
    accountId,
    inboxId,
    contactId: group.id,
    contactInboxId: contactInbox.id,
    direction: 'inbound',
    actor: input.actor,
  });
}
