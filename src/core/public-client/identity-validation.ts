import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { contactInboxes, type ContactInboxRow } from '../contacts/contacts.tables.js';
import { channelSettingsOf } from '../inboxes/channel-settings.js';
import type { InboxRow } from '../inboxes/inboxes.tables.js';

/** Chatwoot's own words (Public::Api::V1::Inboxes::ContactsController#process_hmac). */
export const HMAC_FAILED = 'HMAC failed: Invalid Identifier Hash Provided';

/** hex(HMAC-SHA256(inbox hmac token, identifier)): what the customer's back end computes for a signed-in user. */
export function identifierHashOf(hmacToken: string, identifier: string): string {
  return createHmac('sha256', hmacToken).update(identifier).digest('hex');
}

/**
 * Identity validation: the client proves the visitor is the customer's signed-in user `identifier`
 * by sending its hash. Checked when a hash is sent or when the inbox makes it mandatory (then a
 * missing or wrong hash is refused, 401, as Chatwoot refuses it); returns whether the identifier
 * was verified. An inbox without an hmac token (channels that have no client API) verifies nothing.
 */
export function verifyIdentifierHash(
  inbox: InboxRow,
  identifier: string | null | undefined,
  identifierHash: string | null | undefined,
): boolean {
  if (!identifierHash && !inbox.hmacMandatory) return false;
  const token = channelSettingsOf(inbox).hmacToken;
  if (!token || !identifier || !identifierHash) throw new DomainError('UNAUTHENTICATED', HMAC_FAILED);
  const expected = Buffer.from(identifierHashOf(token, identifier));
  const given = Buffer.from(identifierHash.toLowerCase());
  // Lengths first: timingSafeEqual throws on buffers of different sizes.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DomainError('UNAUTHENTICATED', HMAC_FAILED);
  }
  return true;
}

/** Records that the visitor's address in the inbox was proven to belong to their identifier. */
export async function markHmacVerified(tx: Db, contactInbox: ContactInboxRow): Promise<ContactInboxRow> {
  if (contactInbox.hmacVerified) return contactInbox;
  const [updated] = await tx
    .update(contactInboxes)
    .set({ hmacVerified: true, updatedAt: sql`now()` })
    .where(and(eq(contactInboxes.accountId, contactInbox.accountId), eq(contactInboxes.id, contactInbox.id)))
    .returning();
  return updated ?? contactInbox;
}
