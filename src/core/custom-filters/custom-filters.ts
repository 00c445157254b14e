import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { customFilters, type CustomFilterRow, type CustomFilterType } from './custom-filters.tables.js';

/** A saved filter belongs to the user who saved it; filters saved with an account API key (no user) are shared. */
export interface FilterOwner {
  accountId: number;
  userId: number | null;
}

function owned(owner: FilterOwner): SQL {
  return and(
    eq(customFilters.accountId, owner.accountId),
    owner.userId === null ? isNull(customFilters.userId) : eq(customFilters.userId, owner.userId),
  ) as SQL;
}

export async function createCustomFilter(
  db: Db,
  owner: FilterOwner,
  input: { name: string; filterType: CustomFilterType; query: Record<string, unknown> },
): Promise<CustomFilterRow> {
  const [row] = await db
    .insert(customFilters)
    .values({ ...input, accountId: owner.accountId, userId: owner.userId })
    .returning();
  if (!row) throw new Error('insert returned no custom filter');
  return row;
}

export async function listCustomFilters(
  db: Db,
  owner: FilterOwner,
  filterType?: CustomFilterType,
): Promise<CustomFilterRow[]> {
  return db
    .select()
    .from(customFilters)
    .where(and(owned(owner), filterType === undefined ? undefined : eq(customFilters.filterType, filterType)))
    .orderBy(asc(customFilters.id));
}

export async function getCustomFilter(db: Db, owner: FilterOwner, id: number): Promise<CustomFilterRow> {
  const [row] = await db
    .select()
    .from(customFilters)
    .where(and(owned(owner), eq(customFilters.id, id)));
  if (!row) throw notFound('Custom filter');
  return row;
}

export async function updateCustomFilter(
  db: Db,
  owner: FilterOwner,
  id: number,
  input: {
    name?: string | undefined;
    filterType?: CustomFilterType | undefined;
    query?: Record<string, unknown> | undefined;
  },
): Promise<CustomFilterRow> {
  const [row] = await db
    .update(customFilters)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.filterType !== undefined && { filterType: input.filterType }),
      ...(input.query !== undefined && { query: input.query }),
      updatedAt: new Date(),
    })
    .where(and(owned(owner), eq(customFilters.id, id)))
    .returning();
  if (!row) throw notFound('Custom filter');
  return row;
}

export async function deleteCustomFilter(db: Db, owner: FilterOwner, id: number): Promise<void> {
  const removed = await db
    .delete(customFilters)
    .where(and(owned(owner), eq(customFilters.id, id)))
    .returning({ id: customFilters.id });
  if (removed.length === 0) throw notFound('Custom filter');
}
