import { and, arrayContains, desc, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contacts, type ContactRow } from './contacts.tables.js';
import { contactSearchWhere, resolvedContacts } from './list-contacts.js';
import { withCustomPlans } from '../../platform/db/named-statements.js';

export interface ContactKeysetPage {
  rows: ContactRow[];
  /** The id to read below for the next page; null on the last one. */
  next: number | null;
}

/**
 * Contacts newest first, by id alone (immutable and unique, so pages never skip or repeat a
 * contact whatever is edited meanwhile). Like Chatwoot, anonymous visitors (no email, phone or
 * identifier) stay out; `q` matches name, email, phone or identifier.
 */
export async function listContactsBefore(
  db: Db,
  accountId: number,
  options: {
    q?: string | undefined;
    /** Only contacts carrying this label. */
    label?: string | undefined;
    before?: number | undefined;
    limit: number;
  },
): Promise<ContactKeysetPage> {
  const q = options.q?.trim();
  const scope: SQL = q ? contactSearchWhere(accountId, q) : resolvedContacts(accountId);
  // A search is planned for its words (see withCustomPlans); the plain list keeps its cached plan.
  const select = () =>
    db
      .select()
      .from(contacts)
      .where(
        and(
          scope,
          options.label === undefined ? undefined : arrayContains(contacts.labels, [options.label]),
          options.before === undefined ? undefined : lt(contacts.id, options.before),
        ),
      )
      .orderBy(desc(contacts.id))
      .limit(options.limit + 1);
  const found = q ? await withCustomPlans(select) : await select();
  const rows = found.slice(0, options.limit);
  const last = rows.at(-1);
  return { rows, next: found.length > options.limit && last ? last.id : null };
}
