import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events/outbox.js';
import { getContact, recordContactUpdate } from './contacts.js';
import { contacts } from './contacts.tables.js';

const LABEL = /^[\p{L}\p{N}_-]{1,255}$/u;

/** Chatwoot labels are lowercase words (letters, digits, `_`, `-`); duplicates collapse. */
export function normalizeLabels(labels: string[]): string[] {
  const normalized = labels.map((label) => label.trim().toLowerCase()).filter((label) => label !== '');
  const bad = normalized.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    throw new DomainError('VALIDATION_FAILED', `Label "${bad}" may only contain letters, digits, _ and -`, [
      { path: 'labels', message: 'contains an invalid label' },
    ]);
  }
  return [...new Set(normalized)].sort();
}

/** Replaces the contact's labels with the given set, as Chatwoot's POST labels does. */
export async function setContactLabels(
  tx: Db,
  input: { accountId: number; contactId: number; labels: string[]; actor?: Actor | undefined },
): Promise<string[]> {
  const labels = normalizeLabels(input.labels);
  const before = await getContact(tx, input.accountId, input.contactId);
  const [after] = await tx
    .update(contacts)
    .set({ labels, updatedAt: new Date() })
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, input.contactId)))
    .returning();
  if (!after) throw notFound('Contact');
  await recordContactUpdate(tx, before, after, input.actor);
  return after.labels;
}
