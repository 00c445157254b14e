import { and, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { EndUserColumns } from './end-user-fields.js';
import { contacts } from './contacts.tables.js';

/** The unique keys of a contact within its account (contacts.ts enforces the same three). */
type UniqueField = 'email' | 'phoneNumber' | 'identifier';
const uniqueFields: UniqueField[] = ['email', 'phoneNumber', 'identifier'];

/**
 * Another contact of the account already holds this email, phone number or external identifier.
 * A conflict (409), not a validation error: the input is well formed, the state refuses it.
 */
export class EndUserConflictError extends DomainError {
  readonly field: UniqueField;
  /** The uuid of the contact holding the value, in the caller's own account. */
  readonly holderUuid: string;

  constructor(field: UniqueField, holderUuid: string) {
    super('CONFLICT', `${field} has already been taken`, [
      { path: field, message: 'has already been taken' },
    ]);
    this.name = 'EndUserConflictError';
    this.field = field;
    this.holderUuid = holderUuid;
  }
}

interface Holder {
  uuid: string;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
}

function sameValue(field: UniqueField, a: string | null | undefined, b: string | null | undefined) {
  if (!a || !b) return false;
  return field === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/** The first unique value of `columns` that `holder` already has, if any. */
export function conflictWith(columns: EndUserColumns, holder: Holder): EndUserConflictError | null {
  for (const field of uniqueFields) {
    if (sameValue(field, columns[field], holder[field])) return new EndUserConflictError(field, holder.uuid);
  }
  return null;
}

function keyOf(field: UniqueField, value: string): string {
  return `${field}:${field === 'email' ? value.toLowerCase() : value}`;
}

/** The unique values already held, by value: checking a batch of N items costs N lookups. */
export class HeldValues {
  private readonly holders = new Map<string, string>();

  constructor(holders: Holder[]) {
    for (const holder of holders) this.add(holder);
  }

  add(holder: Holder): void {
    for (const field of uniqueFields) {
      const value = holder[field];
      if (value) this.holders.set(keyOf(field, value), holder.uuid);
    }
  }

  conflictOf(columns: EndUserColumns): EndUserConflictError | null {
    for (const field of uniqueFields) {
      const value = columns[field];
      const holderUuid = value ? this.holders.get(keyOf(field, value)) : undefined;
      if (holderUuid) return new EndUserConflictError(field, holderUuid);
    }
    return null;
  }
}

/**
 * The contacts of the account holding any of these unique values, in one query over the three
 * unique indexes (lower(email), identifier, and the account/phone index).
 */
export async function findHolders(
  db: Db,
  accountId: number,
  wanted: EndUserColumns[],
  exceptId?: number,
): Promise<Holder[]> {
  const emails = wanted.flatMap((columns) => (columns.email ? [columns.email.toLowerCase()] : []));
  const phones = wanted.flatMap((columns) => (columns.phoneNumber ? [columns.phoneNumber] : []));
  const identifiers = wanted.flatMap((columns) => (columns.identifier ? [columns.identifier] : []));
  const matches: SQL[] = [];
  if (emails.length > 0) matches.push(inArray(sql`lower(${contacts.email})`, emails));
  if (phones.length > 0) matches.push(inArray(contacts.phoneNumber, phones));
  if (identifiers.length > 0) matches.push(inArray(contacts.identifier, identifiers));
  if (matches.length === 0) return [];
  return db
    .select({
      id: contacts.id,
      uuid: contacts.uuid,
      email: contacts.email,
      phoneNumber: contacts.phoneNumber,
      identifier: contacts.identifier,
    })
    .from(contacts)
    .where(
      and(
        eq(contacts.accountId, accountId),
        or(...matches),
        exceptId === undefined ? undefined : ne(contacts.id, exceptId),
      ),
    );
}

/** Throws the conflict of `columns` with another contact of the account. */
export async function assertEndUserUnique(
  db: Db,
  accountId: number,
  columns: EndUserColumns,
  exceptId?: number,
): Promise<void> {
  for (const holder of await findHolders(db, accountId, [columns], exceptId)) {
    const conflict = conflictWith(columns, holder);
    if (conflict) throw conflict;
  }
}
