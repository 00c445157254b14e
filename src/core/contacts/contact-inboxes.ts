import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { builtOnce } from '../../platform/db/built-once.js';
import { arrayLiteral } from '../analytics/sql-arrays.js';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { inboxes, type InboxRow } from '../inboxes/inboxes.tables.js';
import { contactInboxes, contacts, type ContactInboxRow } from './contacts.tables.js';

/** A contact's address in an inbox, with the inbox it belongs to. */
export type ContactInboxWithInbox = ContactInboxRow & { inbox: InboxRow };

export function newPubsubToken(): string {
  return randomBytes(24).toString('base64url');
}

export async function findContactInboxBySource(
  db: Db,
  inboxId: number,
  sourceId: string,
): Promise<ContactInboxRow | null> {
  const [row] = await db
    .select()
    .from(contactInboxes)
    .where(and(eq(contactInboxes.inboxId, inboxId), eq(contactInboxes.sourceId, sourceId)));
  return row ?? null;
}

/**
 * The address Chatwoot gives a contact in an inbox when none is supplied: the email address on
 * email inboxes, the phone number on SMS (WhatsApp without the +), a UUID elsewhere.
 */
function defaultSourceId(
  channelType: InboxRow['channelType'],
  contact: { email: string | null; phoneNumber: string | null },
): string {
  if (channelType === 'email' && contact.email) return contact.email;
  if (channelType === 'sms' && contact.phoneNumber) return contact.phoneNumber;
  if (channelType === 'whatsapp' && contact.phoneNumber) return contact.phoneNumber.replace(/^\+/, '');
  return randomUUID();
}

/**
 * The contact's address in an inbox, created when missing; without a source id, the channel's
 * natural address for the contact is used (see `defaultSourceId`). Idempotent on (inbox, source id);
 * a source id that already belongs to another contact is refused.
 */
export async function ensureContactInbox(
  tx: Db,
  input: { accountId: number; contactId: number; inboxId: number; sourceId?: string | null | undefined },
): Promise<ContactInboxRow> {
  const [inbox] = await tx
    .select({ id: inboxes.id, channelType: inboxes.channelType })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, input.accountId), eq(inboxes.id, input.inboxId)));
  if (!inbox) throw notFound('Inbox');
  const [contact] = await tx
    .select({ id: contacts.id, email: contacts.email, phoneNumber: contacts.phoneNumber })
    .from(contacts)
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, input.contactId)));
  if (!contact) throw notFound('Contact');

  const sourceId = input.sourceId?.trim() || defaultSourceId(inbox.channelType, contact);
  await tx
    .insert(contactInboxes)
    .values({
      accountId: input.accountId,
      contactId: input.contactId,
      inboxId: input.inboxId,
      sourceId,
      pubsubToken: newPubsubToken(),
    })
    .onConflictDoNothing({ target: [contactInboxes.inboxId, contactInboxes.sourceId] });
  const row = await findContactInboxBySource(tx, input.inboxId, sourceId);
  if (!row) throw new Error('contact inbox vanished after insert');
  if (row.contactId !== input.contactId) {
    throw new DomainError('VALIDATION_FAILED', 'source_id has already been taken in this inbox', [
      { path: 'source_id', message: 'has already been taken' },
    ]);
  }
  return row;
}

/** Every address of the given contacts with its inbox, in one query. */
/** The addresses of a page of contacts, built once (a contact list's relations, on every page). */
const contactInboxesOfContacts = builtOnce<
  { contactInbox: ContactInboxRow; inbox: InboxRow },
  { accountId: number; contactIds: string }
>('contact_inboxes_of_contacts', (db, value) =>
  db
    .select({ contactInbox: contactInboxes, inbox: inboxes })
    .from(contactInboxes)
    .innerJoin(inboxes, eq(inboxes.id, contactInboxes.inboxId))
    .where(
      and(
        eq(contactInboxes.accountId, value('accountId')),
        sql`${contactInboxes.contactId} = ANY(${value('contactIds')}::bigint[])`,
      ),
    )
    .orderBy(asc(contactInboxes.id)),
);

export async function listContactInboxes(
  db: Db,
  accountId: number,
  contactIds: number[],
): Promise<ContactInboxWithInbox[]> {
  if (contactIds.length === 0) return [];
  const rows = await contactInboxesOfContacts(db, { accountId, contactIds: arrayLiteral(contactIds) });
  return rows.map((row) => ({ ...row.contactInbox, inbox: row.inbox }));
}

/** Groups addresses by contact id, for serializing a page of contacts. */
export function groupByContact(rows: ContactInboxWithInbox[]): Map<number, ContactInboxWithInbox[]> {
  const grouped = new Map<number, ContactInboxWithInbox[]>();
  for (const row of rows) {
    const list = grouped.get(row.contactId) ?? [];
    list.push(row);
    grouped.set(row.contactId, list);
  }
  return grouped;
}
