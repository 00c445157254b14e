import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { phoneNumbers, type PhoneNumberRow } from './numbers.tables.js';

/** One keyset page of the numbers an account holds, in id order. */
export async function listAccountNumbers(
  db: Db,
  accountId: number,
  page: { after?: number | undefined; limit: number },
): Promise<{ items: PhoneNumberRow[]; nextCursor: number | null }> {
  const rows = await db
    .select()
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.accountId, accountId),
        eq(phoneNumbers.state, 'active'),
        page.after === undefined ? undefined : gt(phoneNumbers.id, page.after),
      ),
    )
    .orderBy(asc(phoneNumbers.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
}
