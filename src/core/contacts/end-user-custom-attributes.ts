import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { patchCustomAttributesByUuid, type AttributeValueInput } from '../custom-attributes/patch-by-uuid.js';
import { recordContactUpdate } from './contacts.js';
import { contacts, type ContactRow } from './contacts.tables.js';

/**
 * Sets or removes (null) a contact's custom attributes addressed by definition uuid, stored under
 * each definition's attribute_key; contact.updated carries the change.
 */
export async function patchEndUserCustomAttributes(
  tx: Db,
  input: {
    accountId: number;
    uuid: string;
    patch: Record<string, AttributeValueInput>;
    actor?: Actor | undefined;
  },
): Promise<ContactRow> {
  // FOR UPDATE: two patches of different attributes both survive instead of the last one winning.
  const [before] = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.uuid, input.uuid)))
    .for('update');
  if (!before) throw notFound('End user');
  const customAttributes = await patchCustomAttributesByUuid(tx, {
    accountId: input.accountId,
    model: 'contact',
    current: before.customAttributes,
    patch: input.patch,
  });
  if (JSON.stringify(customAttributes) === JSON.stringify(before.customAttributes)) return before;
  const [after] = await tx
    .update(contacts)
    .set({ customAttributes, updatedAt: new Date() })
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, before.id)))
    .returning();
  if (!after) throw notFound('End user');
  await recordContactUpdate(tx, before, after, input.actor);
  return after;
}
