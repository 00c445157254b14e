import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { getContact, toContactSnapshot, updateContact } from '../contacts/contacts.js';
import type { ContactRow } from '../contacts/contacts.tables.js';
import { contactBanned, contactUnbanned } from './bans.events.js';

/** The banning user, when a user acted: agent ids in events are users.id. */
export function bannedByOf(actor: Actor): number | null {
  return actor.type === 'user' && typeof actor.id === 'number' ? actor.id : null;
}

/**
 * Bans or unbans an end user through the contact's `blocked` flag (the core path Chatwoot's
 * block uses, so contact.updated fires as well), plus the ban event. Setting the state it already
 * has changes nothing and records nothing, so a repeated call is harmless.
 */
async function setContactBan(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
  isBanned: boolean,
): Promise<ContactRow> {
  return db.transaction(async (tx) => {
    const before = await getContact(tx, input.accountId, input.contactId);
    if (before.blocked === isBanned) return before;
    const after = await updateContact(tx, {
      accountId: input.accountId,
      id: input.contactId,
      blocked: isBanned,
      actor: input.actor,
    });
    await recordEvent(tx, isBanned ? contactBanned : contactUnbanned, {
      accountId: input.accountId,
      aggregateId: after.id,
      payload: { contact: toContactSnapshot(after), byUserId: bannedByOf(input.actor) },
      actor: input.actor,
    });
    return after;
  });
}

export function banContact(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
): Promise<ContactRow> {
  return setContactBan(db, input, true);
}

export function unbanContact(
  db: Db,
  input: { accountId: number; contactId: number; actor: Actor },
): Promise<ContactRow> {
  return setContactBan(db, input, false);
}
