import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { validateCustomAttributeValues } from '../custom-attributes/validate-values.js';
import { blankToNull, normalizeEmail, normalizePhoneNumber } from './contact-fields.js';
import { contactCreated, contactUpdated, type ContactSnapshot } from './contacts.events.js';
import { contacts, type ContactRow } from './contacts.tables.js';

export interface ContactFields {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phoneNumber?: string | null | undefined;
  identifier?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  blocked?: boolean | undefined;
  additionalAttributes?: Record<string, unknown> | undefined;
  customAttributes?: Record<string, unknown> | undefined;
}

export interface CreateContactInput extends ContactFields {
  accountId: number;
  actor?: Actor | undefined;
}

export interface UpdateContactInput extends ContactFields {
  accountId: number;
  id: number;
  actor?: Actor | undefined;
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

export function toContactSnapshot(row: ContactRow): ContactSnapshot {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    email: row.email,
    phoneNumber: row.phoneNumber,
    identifier: row.identifier,
    avatarUrl: row.avatarUrl,
    blocked: row.blocked,
    contactType: row.contactType,
    additionalAttributes: row.additionalAttributes,
    customAttributes: row.customAttributes,
    labels: row.labels,
    lastActivityAt: iso(row.lastActivityAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Validated, normalized column values; only the keys the caller gave. */
async function prepareFields(db: Db, accountId: number, input: ContactFields) {
  const email = normalizeEmail(input.email);
  const phoneNumber = normalizePhoneNumber(input.phoneNumber);
  const identifier = blankToNull(input.identifier);
  if (input.customAttributes) {
    await validateCustomAttributeValues(db, accountId, 'contact', input.customAttributes);
  }
  return {
    ...(input.name !== undefined && { name: input.name?.trim() ?? '' }),
    ...(email !== undefined && { email }),
    ...(phoneNumber !== undefined && { phoneNumber }),
    ...(identifier !== undefined && { identifier }),
    ...(input.avatarUrl !== undefined && { avatarUrl: blankToNull(input.avatarUrl) ?? null }),
    ...(input.blocked !== undefined && { blocked: input.blocked }),
    ...(input.additionalAttributes !== undefined && { additionalAttributes: input.additionalAttributes }),
    ...(input.customAttributes !== undefined && { customAttributes: input.customAttributes }),
  };
}

/** Chatwoot answers a taken email, phone or identifier with 422 "<field> has already been taken". */
async function assertUnique(
  db: Db,
  accountId: number,
  fields: { email?: string | null; phoneNumber?: string | null; identifier?: string | null },
  exceptId?: number,
): Promise<void> {
  const checks: [string, SQL][] = [];
  if (fields.email) checks.push(['email', sql`lower(${contacts.email}) = ${fields.email.toLowerCase()}`]);
  if (fields.phoneNumber) checks.push(['phone_number', eq(contacts.phoneNumber, fields.phoneNumber)]);
  if (fields.identifier) checks.push(['identifier', eq(contacts.identifier, fields.identifier)]);
  for (const [field, condition] of checks) {
    const [taken] = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(
        and(
          eq(contacts.accountId, accountId),
          condition,
          exceptId === undefined ? undefined : ne(contacts.id, exceptId),
        ),
      )
      .limit(1);
    if (taken) throw duplicate(field);
  }
}

function duplicate(field: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} has already been taken`, [
    { path: field, message: 'has already been taken' },
  ]);
}

export async function createContact(tx: Db, input: CreateContactInput): Promise<ContactRow> {
  const fields = await prepareFields(tx, input.accountId, input);
  await assertUnique(tx, input.accountId, fields);
  // ON CONFLICT DO NOTHING turns a concurrent duplicate into a 422 instead of an aborted transaction.
  const [row] = await tx
    .insert(contacts)
    .values({ ...fields, accountId: input.accountId })
    .onConflictDoNothing()
    .returning();
  if (!row) throw duplicate(fields.email ? 'email' : 'identifier');
  await recordEvent(tx, contactCreated, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: { contact: toContactSnapshot(row) },
    actor: input.actor,
  });
  return row;
}

export async function findContact(db: Db, accountId: number, id: number): Promise<ContactRow | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.accountId, accountId), eq(contacts.id, id)));
  return row ?? null;
}

export async function getContact(db: Db, accountId: number, id: number): Promise<ContactRow> {
  const row = await findContact(db, accountId, id);
  if (!row) throw notFound('Contact');
  return row;
}

/** The first contact matching, in order, the identifier, the email or the phone number. */
export async function findContactBy(
  db: Db,
  accountId: number,
  by: { email?: string | null; phoneNumber?: string | null; identifier?: string | null },
): Promise<ContactRow | null> {
  const conditions: SQL[] = [];
  if (by.identifier) conditions.push(eq(contacts.identifier, by.identifier));
  if (by.email) conditions.push(sql`lower(${contacts.email}) = ${by.email.trim().toLowerCase()}`);
  if (by.phoneNumber) conditions.push(eq(contacts.phoneNumber, by.phoneNumber.trim()));
  for (const condition of conditions) {
    const [row] = await db
      .select()
      .from(contacts)
      .where(and(eq(contacts.accountId, accountId), condition))
      .limit(1);
    if (row) return row;
  }
  return null;
}

const trackedKeys = [
  'name',
  'email',
  'phoneNumber',
  'identifier',
  'avatarUrl',
  'blocked',
  'additionalAttributes',
  'customAttributes',
  'labels',
] as const;

/** camelCase keys whose values differ between two versions of a contact. */
export function contactChanges(
  before: ContactRow,
  after: ContactRow,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of trackedKeys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = { from: before[key], to: after[key] };
    }
  }
  return changes;
}

/** Records contact.updated when something actually changed. */
export async function recordContactUpdate(
  tx: Db,
  before: ContactRow,
  after: ContactRow,
  actor: Actor | undefined,
): Promise<void> {
  const changes = contactChanges(before, after);
  if (Object.keys(changes).length === 0) return;
  await recordEvent(tx, contactUpdated, {
    accountId: after.accountId,
    aggregateId: after.id,
    payload: { contact: toContactSnapshot(after), changes },
    actor,
  });
}

/**
 * Updates the given fields. Custom and additional attributes are merged into the stored ones,
 * as Chatwoot's update does.
 */
export async function updateContact(tx: Db, input: UpdateContactInput): Promise<ContactRow> {
  const before = await getContact(tx, input.accountId, input.id);
  const fields = await prepareFields(tx, input.accountId, input);
  await assertUnique(tx, input.accountId, fields, input.id);
  const [after] = await tx
    .update(contacts)
    .set({
      ...fields,
      ...(fields.additionalAttributes && {
        additionalAttributes: { ...before.additionalAttributes, ...fields.additionalAttributes },
      }),
      ...(fields.customAttributes && {
        customAttributes: { ...before.customAttributes, ...fields.customAttributes },
      }),
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, input.id)))
    .returning();
  if (!after) throw notFound('Contact');
  await recordContactUpdate(tx, before, after, input.actor);
  return after;
}

/** Marks the contact as active now (a message arrived from them); no event, it is bookkeeping. */
export async function touchContactActivity(tx: Db, accountId: number, contactId: number): Promise<void> {
  await tx
    .update(contacts)
    .set({ lastActivityAt: new Date() })
    .where(and(eq(contacts.accountId, accountId), eq(contacts.id, contactId)));
}
