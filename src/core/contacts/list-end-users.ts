import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { toKeysetWindow, type KeysetPosition, type KeysetWindow } from './keyset-window.js';
import { contacts, type ContactRow } from './contacts.tables.js';

export interface EndUserFilter {
  email?: string | undefined;
  phoneNumber?: string | undefined;
  identifier?: string | undefined;
}

/**
 * Stored numbers are E.164 (`+...`), and a `+` written unescaped in a query string arrives as a
 * space: a number given without its plus sign is the same number.
 */
function phoneNumberOf(value: string): string {
  const compact = value.replace(/\s+/g, '');
  return compact.startsWith('+') ? compact : `+${compact}`;
}

/**
 * The account's contacts in creation order (id), a window at a time, optionally those with one
 * email (case-insensitive), phone number or external identifier; each filter reads one index.
 */
export async function listEndUsers(
  db: Db,
  options: { accountId: number; filter: EndUserFilter; limit: number; position?: KeysetPosition | undefined },
): Promise<KeysetWindow<ContactRow>> {
  const { filter, position, limit } = options;
  if (filter.email !== undefined && filter.phoneNumber !== undefined) {
    throw new DomainError('BAD_REQUEST', 'Filter by email or by phone number, not both', [
      { path: 'phone', message: 'cannot be combined with email' },
    ]);
  }
  const isBackward = position?.direction === 'previous';
  const rows = await db
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.accountId, options.accountId),
        filter.email === undefined
          ? undefined
          : sql`lower(${contacts.email}) = ${filter.email.trim().toLowerCase()}`,
        filter.phoneNumber === undefined
          ? undefined
          : eq(contacts.phoneNumber, phoneNumberOf(filter.phoneNumber)),
        filter.identifier === undefined ? undefined : eq(contacts.identifier, filter.identifier.trim()),
        position === undefined
          ? undefined
          : isBackward
            ? lt(contacts.id, position.id)
            : gt(contacts.id, position.id),
      ),
    )
    .orderBy(isBackward ? desc(contacts.id) : asc(contacts.id))
    .limit(limit + 1);
  return toKeysetWindow(rows, limit, position, (row) => row.id);
}
