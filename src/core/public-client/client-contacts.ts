import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { ensureContactInbox, findContactInboxBySource } from '../contacts/contact-inboxes.js';
import {
  createContact,
  findContactBy,
  getContact,
  updateContact,
  type ContactFields,
} from '../contacts/contacts.js';
import { contactInboxes, type ContactInboxRow, type ContactRow } from '../contacts/contacts.tables.js';
import { findInboxByIdentifier } from '../inboxes/inboxes.js';
import { channelSettingsOf } from '../inboxes/channel-settings.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';

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
 * Identity validation: the client proves it knows the identifier by sending
 * hex(HMAC-SHA256(inbox hmac token, identifier)). Checked when a hash is sent or the inbox makes it
 * mandatory; returns whether the identifier was verified.
 */
export function verifyIdentifierHash(
  inbox: InboxRow,
  identifier: string | null | undefined,
  identifierHash: string | null | undefined,
): boolean {
  if (!identifierHash && !inbox.hmacMandatory) return false;
  const token = channelSettingsOf(inbox).hmacToken;
  const expected = token && identifier ? createHmac('sha256', token).update(identifier).digest('hex') : null;
  const isValid =
    expected !== null &&
    typeof identifierHash === 'string' &&
    identifierHash.length === expected.length &&
    timingSafeEqual(Buffer.from(identifierHash), Buffer.from(expected));
  if (!isValid) throw new DomainError('UNAUTHENTICATED', 'HMAC failed: Invalid Identifier Hash Provided');
  return true;
}

/**
 * Creates the visitor: an existing contact of the account with the same identifier (then email)
 * is reused, as Chatwoot's ContactInboxWithContactBuilder does, and gets a new address in the inbox.
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
    let contactInbox = await ensureContactInbox(tx, {
      accountId: inbox.accountId,
      contactId: contact.id,
      inboxId: inbox.id,
      sourceId: input.sourceId,
    });
    if (input.isHmacVerified && !contactInbox.hmacVerified) {
      const [updated] = await tx
        .update(contactInboxes)
        .set({ hmacVerified: true, updatedAt: new Date() })
        .where(and(eq(contactInboxes.accountId, inbox.accountId), eq(contactInboxes.id, contactInbox.id)))
        .returning();
      contactInbox = updated ?? contactInbox;
    }
    return { inbox, contactInbox, contact };
  });
}

export async function updateClientContact(
  db: Db,
  client: ClientContact,
  fields: ContactFields,
  actor: Actor,
): Promise<ClientContact> {
  const contact = await db.transaction((tx) =>
    updateContact(tx, { ...fields, accountId: client.inbox.accountId, id: client.contact.id, actor }),
  );
  return { ...client, contact };
}
