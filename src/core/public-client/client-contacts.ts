import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { ensureContactInbox, findContactInboxBySource } from '../contacts/contact-inboxes.js';
import {
  createContact,
  findContactBy,
  getContact,
  updateContact,
  type ContactFields,
} from '../contacts/contacts.js';
import type { ContactInboxRow, ContactRow } from '../contacts/contacts.tables.js';
import { findInboxByIdentifier } from '../inboxes/inboxes.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';
import { markHmacVerified } from './identity-validation.js';

export { verifyIdentifierHash } from './identity-validation.js';

/**
 * The client (public) API's view of a contact: a visitor of one inbox, known by the source id of
 * their address there. Nothing here takes an account from the caller: the inbox identifier
 * decides the account, and the source id only resolves inside that inbox.
 */
export interface ClientContact {
  inbox: InboxRow;
  contactInbox: ContactInboxRow;
  contact: ContactRow;
}

export async function getClientInbox(db: Db, inboxIdentifier: string): Promise<InboxRow> {
  const inbox = await findInboxByIdentifier(db, inboxIdentifier);
  if (!inbox) throw notFound('Inbox');
  return inbox;
}

export async function getClientContact(db: Db, inbox: InboxRow, sourceId: string): Promise<ClientContact> {
  const contactInbox = await findContactInboxBySource(db, inbox.id, sourceId);
  if (!contactInbox || contactInbox.accountId !== inbox.accountId) throw notFound('Contact');
  const contact = await getContact(db, inbox.accountId, contactInbox.contactId);
  return { inbox, contactInbox, contact };
}

/**
 * Creates the visitor: an existing contact of the account with the same identifier (then email)
 * is reused, as Chatwoot's ContactInboxWithContactBuilder does, and gets a new address in the inbox.
 * `isHmacVerified` (from `verifyIdentifierHash`) marks that address verified.
 */
export async function createClientContact(
  db: Db,
  input: {
    inbox: InboxRow;
    sourceId?: string | null | undefined;
    fields: ContactFields;
    isHmacVerified: boolean;
    actor: Actor;
  },
): Promise<ClientContact> {
  const { inbox } = input;
  return db.transaction(async (tx) => {
    const existing = await findContactBy(tx, inbox.accountId, {
      identifier: input.fields.identifier ?? null,
      email: input.fields.email ?? null,
    });
    const contact =
      existing ??
      (await createContact(tx, { ...input.fields, accountId: inbox.accountId, actor: input.actor }));
    const contactInbox = await ensureContactInbox(tx, {
      accountId: inbox.accountId,
      contactId: contact.id,
      inboxId: inbox.id,
      sourceId: input.sourceId,
    });
    return {
      inbox,
      contactInbox: input.isHmacVerified ? await markHmacVerified(tx, contactInbox) : contactInbox,
      contact,
    };
  });
}

/** Updates the visitor's contact; a verified identifier hash marks their address verified, in the same transaction. */
export async function updateClientContact(
  db: Db,
  client: ClientContact,
  input: { fields: ContactFields; isHmacVerified: boolean; actor: Actor },
): Promise<ClientContact> {
  return db.transaction(async (tx) => {
    const contact = await updateContact(tx, {
      ...input.fields,
      accountId: client.inbox.accountId,
      id: client.contact.id,
      actor: input.actor,
    });
    const contactInbox = input.isHmacVerified
      ? await markHmacVerified(tx, client.contactInbox)
      : client.contactInbox;
    return { ...client, contact, contactInbox };
  });
}
