import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { addressBooks, type AddressBookRow } from './broadcasts.tables.js';
import { selectPage, type OffsetPage } from './offset-page.js';

export const addressBookOrders = ['name', '-name', 'created_at', '-created_at'] as const;
export type AddressBookOrder = (typeof addressBookOrders)[number];

export async function createAddressBook(
  db: Db,
  accountId: number,
  input: { name: string; description: string },
): Promise<AddressBookRow> {
  const [row] = await db
    .insert(addressBooks)
    .values({ accountId, name: input.name, description: input.description })
    .returning();
  if (!row) throw new Error('address book insert returned no row');
  return row;
}

/** The account's address book; another account's is not found. */
export async function getAddressBook(db: Db, accountId: number, id: number): Promise<AddressBookRow> {
  const [row] = await db
    .select()
    .from(addressBooks)
    .where(and(eq(addressBooks.accountId, accountId), eq(addressBooks.id, id)));
  if (!row) throw notFound('Address book');
  return row;
}

/** Deletes the book and its contacts; campaigns already started keep the recipients they drew from it. */
export async function deleteAddressBook(db: Db, accountId: number, id: number): Promise<void> {
  const deleted = await db
    .delete(addressBooks)
    .where(and(eq(addressBooks.accountId, accountId), eq(addressBooks.id, id)))
    .returning({ id: addressBooks.id });
  if (deleted.length === 0) throw notFound('Address book');
}

export function searchAddressBooks(
  db: Db,
  accountId: number,
  page: OffsetPage & { order: AddressBookOrder },
): Promise<{ rows: AddressBookRow[]; total: number }> {
  const orderBy = {
    name: [asc(addressBooks.name), asc(addressBooks.id)],
    '-name': [desc(addressBooks.name), desc(addressBooks.id)],
    created_at: [asc(addressBooks.id)],
    '-created_at': [desc(addressBooks.id)],
  }[page.order];
  return selectPage(db, addressBooks, eq(addressBooks.accountId, accountId), orderBy, page);
}
