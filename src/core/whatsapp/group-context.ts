import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { getContact } from '../contacts/contacts.js';
import { contactInboxes, contacts, type ContactRow } from '../contacts/contacts.tables.js';
import { inboxes, type InboxRow } from '../inboxes/inboxes.tables.js';
import { instanceOf, whatsappProviderFor } from './providers.js';
import { providerUnavailable, type WhatsappInstance, type WhatsappProvider } from './whatsapp-provider.js';

/** A group contact with what every group operation needs: its inbox, provider and instance. */
export interface GroupContext {
  group: ContactRow & { groupJid: string };
  inbox: InboxRow;
  instance: WhatsappInstance;
  provider: WhatsappProvider;
}

function isGroup(row: ContactRow): row is ContactRow & { groupJid: string } {
  return row.groupType === 'group' && row.groupJid !== null;
}

/**
 * Loads a group for an operation: 404 when the contact is not in the account, 400 when it is not a
 * WhatsApp group, UNAVAILABLE when no WhatsApp inbox with a group-capable provider serves it.
 */
export async function loadGroup(db: Db, accountId: number, contactId: number): Promise<GroupContext> {
  const group = await getContact(db, accountId, contactId);
  if (!isGroup(group)) {
    throw new DomainError('BAD_REQUEST', 'The contact is not a WhatsApp group', [
      { path: 'id', message: 'is not a group contact' },
    ]);
  }
  const [row] = await db
    .select({ inbox: inboxes })
    .from(contactInboxes)
    .innerJoin(
      inboxes,
      and(eq(inboxes.accountId, contactInboxes.accountId), eq(inboxes.id, contactInboxes.inboxId)),
    )
    .where(
      and(
        eq(contactInboxes.accountId, accountId),
        eq(contactInboxes.contactId, group.id),
        eq(contactInboxes.sourceId, group.groupJid),
        eq(inboxes.channelType, 'whatsapp'),
      ),
    )
    .orderBy(asc(contactInboxes.id))
    .limit(1);
  if (!row) throw providerUnavailable('no WhatsApp inbox serves this group');
  return {
    group,
    inbox: row.inbox,
    instance: instanceOf(row.inbox),
    provider: whatsappProviderFor(db, row.inbox),
  };
}

/** The group contact for a JID in the account, or null when Parley has not seen the group yet. */
export async function findGroupByJid(
  db: Db,
  accountId: number,
  groupJid: string,
): Promise<(ContactRow & { groupJid: string }) | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), eq(contacts.groupJid, groupJid)));
  return row && isGroup(row) ? row : null;
}

/** The event reference every group event carries. */
export function groupRefOf(context: Pick<GroupContext, 'group' | 'inbox'>) {
  return { groupContactId: context.group.id, inboxId: context.inbox.id, groupJid: context.group.groupJid };
}
