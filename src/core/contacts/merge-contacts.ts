import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { conversations, messages } from '../conversations/conversations.tables.js';
import { toContactSnapshot } from './contacts.js';
import { contactMerged } from './contacts.events.js';
import { contactInboxes, contacts, type ContactRow } from './contacts.tables.js';

const isBlank = (value: string | null) => value === null || value.trim() === '';

/** The base keeps what it has; the mergee fills what the base lacks (Chatwoot's merge rule). */
function mergedFields(base: ContactRow, mergee: ContactRow) {
  return {
    name: isBlank(base.name) ? mergee.name : base.name,
    email: isBlank(base.email) ? mergee.email : base.email,
    phoneNumber: isBlank(base.phoneNumber) ? mergee.phoneNumber : base.phoneNumber,
    identifier: isBlank(base.identifier) ? mergee.identifier : base.identifier,
    avatarUrl: isBlank(base.avatarUrl) ? mergee.avatarUrl : base.avatarUrl,
    additionalAttributes: { ...mergee.additionalAttributes, ...base.additionalAttributes },
    customAttributes: { ...mergee.customAttributes, ...base.customAttributes },
    labels: [...new Set([...base.labels, ...mergee.labels])].sort(),
    lastActivityAt:
      base.lastActivityAt && mergee.lastActivityAt
        ? new Date(Math.max(base.lastActivityAt.getTime(), mergee.lastActivityAt.getTime()))
        : (base.lastActivityAt ?? mergee.lastActivityAt),
    updatedAt: new Date(),
  };
}

/**
 * Folds `mergeeId` into `baseId` in one transaction: conversations, addresses and the
 * contact's messages move to the base, missing fields are filled, and the mergee is deleted.
 */
export async function mergeContacts(
  tx: Db,
  input: { accountId: number; baseId: number; mergeeId: number; actor?: Actor | undefined },
): Promise<ContactRow> {
  const { accountId, baseId, mergeeId } = input;
  if (baseId === mergeeId) {
    throw new DomainError('VALIDATION_FAILED', 'A contact cannot be merged into itself', [
      { path: 'mergee_contact_id', message: 'must differ from base_contact_id' },
    ]);
  }
  const rows = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), inArray(contacts.id, [baseId, mergeeId])))
    .orderBy(contacts.id)
    .for('update');
  const base = rows.find((row) => row.id === baseId);
  const mergee = rows.find((row) => row.id === mergeeId);
  if (!base || !mergee) throw notFound('Contact');

  const moved = await tx
    .update(conversations)
    .set({ contactId: baseId, updatedAt: new Date() })
    .where(and(eq(conversations.accountId, accountId), eq(conversations.contactId, mergeeId)))
    .returning({ id: conversations.id });
  await tx
    .update(messages)
    .set({ senderId: baseId })
    .where(
      and(
        eq(messages.accountId, accountId),
        eq(messages.senderType, 'contact'),
        eq(messages.senderId, mergeeId),
      ),
    );
  await tx
    .update(contactInboxes)
    .set({ contactId: baseId, updatedAt: new Date() })
    .where(and(eq(contactInboxes.accountId, accountId), eq(contactInboxes.contactId, mergeeId)));
  // The mergee goes first so its email, phone and identifier are free for the base to take.
  await tx.delete(contacts).where(and(eq(contacts.accountId, accountId), eq(contacts.id, mergeeId)));
  const [merged] = await tx
    .update(contacts)
    .set(mergedFields(base, mergee))
    .where(and(eq(contacts.accountId, accountId), eq(contacts.id, baseId)))
    .returning();
  if (!merged) throw notFound('Contact');
  await recordEvent(tx, contactMerged, {
    accountId,
    aggregateId: baseId,
    payload: {
      contact: toContactSnapshot(merged),
      mergedContactId: mergeeId,
      mergee: { uuid: mergee.uuid, name: mergee.name, email: mergee.email, phoneNumber: mergee.phoneNumber },
      movedConversationIds: moved.map((row) => row.id),
    },
    actor: input.actor,
  });
  return merged;
}
