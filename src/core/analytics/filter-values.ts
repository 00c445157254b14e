import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { accountUsers, users } from '../identity/identity.tables.js';
import { reportingDimensions } from './analytics.tables.js';
import { isFilterAttribute } from './metric-filters.js';

export interface FilterValueItem {
  value: string;
  label: string;
}

/**
 * The values a filter attribute can take in this account: agents are the account's members;
 * channels, directions and queues are those its reporting data has seen. Keyset on the value.
 */
export async function listFilterValues(
  db: Db,
  query: { accountId: number; attribute: string; limit: number; after?: string | undefined },
): Promise<Page<FilterValueItem, string>> {
  if (!isFilterAttribute(query.attribute)) {
    throw new DomainError('BAD_REQUEST', `filterAttribute: unknown filter attribute ${query.attribute}`);
  }
  if (query.attribute === 'agent_id') {
    const rows = await db
      .select({ value: users.uuid, name: users.name, displayName: users.displayName })
      .from(users)
      .innerJoin(
        accountUsers,
        and(eq(accountUsers.userId, users.id), eq(accountUsers.accountId, query.accountId)),
      )
      .where(query.after ? gt(users.uuid, query.after) : undefined)
      .orderBy(asc(users.uuid))
      .limit(query.limit + 1);
    const page = toPage(rows, query.limit, (row) => row.value);
    return {
      items: page.items.map((row) => ({ value: row.value, label: row.displayName ?? row.name })),
      nextCursor: page.nextCursor,
    };
  }
  const rows = await db
    .select({ value: reportingDimensions.value, label: reportingDimensions.label })
    .from(reportingDimensions)
    .where(
      and(
        eq(reportingDimensions.accountId, query.accountId),
        eq(reportingDimensions.attribute, query.attribute),
        query.after ? gt(reportingDimensions.value, query.after) : undefined,
      ),
    )
    .orderBy(asc(reportingDimensions.value))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, (row) => row.value);
}
