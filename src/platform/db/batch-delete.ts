import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from './database.js';

/**
 * Deletes matching rows a batch at a time, each batch its own short statement, so pruning
 * a large table never holds long locks or bloats one transaction. Returns the rows deleted.
 */
export async function deleteInBatches(db: Db, table: SQL, where: SQL, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ count: string | number }>(
      db,
      sql`WITH doomed AS (SELECT ctid FROM ${table} WHERE ${where} LIMIT ${batchSize}),
               deleted AS (DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM doomed) RETURNING 1)
          SELECT count(*) AS count FROM deleted`,
    );
    const count = Number(rows[0]?.count ?? 0);
    total += count;
    if (count < batchSize) return total;
  }
}
