import { and, asc, count, desc, eq, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { contacts, type ContactRow } from './contacts.tables.js';

export const CONTACTS_PAGE_SIZE = 15;

const additional = (key: string) => sql`(${contacts.additionalAttributes} ->> ${key})`;

/** Columns that are never null sort without NULLS LAST, so the btree indexes serve them. */
const notNullSortKeys = new Set(['name', 'created_at']);

/** Chatwoot's sortable contact attributes; company, city and country live in additional attributes. */
const sortExpressions: Record<string, SQLWrapper> = {
  name: contacts.name,
  email: contacts.email,
  phone_number: contacts.phoneNumber,
  last_activity_at: contacts.lastActivityAt,
  created_at: contacts.createdAt,
  company: additional('company_name'),
  city: additional('city'),
  country: additional('country'),
};
export const contactSortKeys = Object.keys(sortExpressions);

/** `name` ascending, `-name` descending; the default is most recently active first. */
export function contactOrder(sort: string | undefined): SQL[] {
  const value = sort?.trim() || '-last_activity_at';
  const isDescending = value.startsWith('-');
  const key = isDescending ? value.slice(1) : value;
  const expression = sortExpressions[key];
  if (!expression) {
    throw new DomainError('VALIDATION_FAILED', `sort must be one of ${contactSortKeys.join(', ')}`, [
      { path: 'sort', message: 'is not a sortable attribute' },
    ]);
  }
  // Chatwoot sorts empty values last in both directions; the id keeps pages stable.
  const nulls = notNullSortKeys.has(key) ? sql`` : sql` NULLS LAST`;
  return isDescending
    ? [sql`${expression} DESC${nulls}`, desc(contacts.id)]
    : [sql`${expression} ASC${nulls}`, asc(contacts.id)];
}

/**
 * Chatwoot lists only "resolved" contacts: anonymous visitors without an email, phone number
 * or identifier stay out of the contacts list and search.
 */
export function resolvedContacts(accountId: number): SQL {
  return and(
    eq(contacts.accountId, accountId),
    or(sql`${contacts.email} <> ''`, sql`${contacts.phoneNumber} <> ''`, sql`${contacts.identifier} <> ''`),
  ) as SQL;
}

/** ILIKE over the trigram-indexed columns (and the identifier, also trigram-indexed). */
export function contactSearchWhere(accountId: number, query: string): SQL {
  const pattern = `%${query.trim().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
  return and(
    resolvedContacts(accountId),
    or(
      sql`${contacts.name} ILIKE ${pattern}`,
      sql`${contacts.email} ILIKE ${pattern}`,
      sql`${contacts.phoneNumber} ILIKE ${pattern}`,
      sql`${contacts.identifier} ILIKE ${pattern}`,
    ),
  ) as SQL;
}

export interface ContactPage {
  rows: ContactRow[];
  count: number;
  page: number;
}

/** One page (Chatwoot's 15 per page) and the total count of contacts matching `where`. */
export async function listContactsPage(
  db: Db,
  options: { where: SQL; sort?: string | undefined; page?: number | undefined },
): Promise<ContactPage> {
  const page = Math.max(1, options.page ?? 1);
  const order = contactOrder(options.sort);
  // Side by side: neither needs the other, so the request waits for one round trip, not two.
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(contacts)
      .where(options.where)
      .orderBy(...order)
      .limit(CONTACTS_PAGE_SIZE)
      .offset((page - 1) * CONTACTS_PAGE_SIZE),
    db.select({ count: count() }).from(contacts).where(options.where),
  ]);
  return { rows, count: totals[0]?.count ?? 0, page };
}
