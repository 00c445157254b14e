import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.js';

export interface OffsetPage {
  offset: number;
  limit: number;
}

/**
 * One page of a table's rows and the count of all that match, in one query (a window count);
 * only a page past the end, which has no row to carry the count, costs a second one.
 */
export async function selectPage<TTable extends PgTable>(
  db: Db,
  table: TTable,
  where: SQL | undefined,
  orderBy: (PgColumn | SQL)[],
  page: OffsetPage,
): Promise<{ rows: TTable['$inferSelect'][]; total: number }> {
  const source: PgTable = table;
  const rows = await db
    .select({ ...getTableColumns(table), pageTotal: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(source)
    .where(where)
    .orderBy(...orderBy)
    .limit(page.limit)
    .offset(page.offset);
  const first = rows[0] as { pageTotal: number } | undefined;
  const items = rows.map(({ pageTotal: _total, ...row }) => row as TTable['$inferSelect']);
  if (first) return { rows: items, total: first.pageTotal };
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(source)
    .where(where);
  return { rows: [], total: counted?.total ?? 0 };
}
