import { sql } from 'drizzle-orm';
import { integer, pgTable, QueryBuilder } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { queryRows } from './database.js';
import { fixedLimit, withCustomPlans } from './named-statements.js';

describe('fixedLimit', () => {
  const rows = pgTable('rows', { id: integer('id') });

  it('writes the count into the statement, where a generic plan can see it, and binds the rest', () => {
    const query = new QueryBuilder()
      .select()
      .from(rows)
      .where(sql`${rows.id} > ${7}`)
      .limit(fixedLimit(25))
      .offset(50)
      .toSQL();
    expect(query.sql).toMatch(/ limit 25 offset \$2$/);
    expect(query.params).toEqual([7, 50]);
  });

  it('refuses what is not a row count', () => {
    for (const count of [-1, 2.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => fixedLimit(count)).toThrow(/not a row count/);
    }
  });
});

/** Named statements are a server connection's; PGlite has no pool and no plan cache to keep. */
describe.skipIf(!process.env.TEST_DATABASE_URL)('named statements on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });

  /** The connection's prepared statements whose text contains `marker`. */
  const preparedLike = (db: TestDatabase['database']['db'], marker: string) =>
    queryRows<{ statement: string }>(
      db,
      sql`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${`%${marker}%`}`,
    );

  it('keeps a statement with parameters prepared on its connection, in transactions and savepoints', async () => {
    const { db } = test.database;
    const found = await db.transaction(async (tx) => {
      await queryRows(tx, sql`SELECT ${41}::int + 1 AS answer_in_transaction`);
      const inSavepoint = await tx.transaction(async (savepoint) => {
        await queryRows(savepoint, sql`SELECT ${41}::int + 1 AS answer_in_savepoint`);
        return preparedLike(savepoint, 'answer_in_savepoint');
      });
      return { inTransaction: await preparedLike(tx, 'answer_in_transaction'), inSavepoint };
    });
    expect(found.inTransaction).toHaveLength(1);
    expect(found.inSavepoint).toHaveLength(1);
  });

  it('leaves a statement without parameters unnamed (one-off text such as migrations)', async () => {
    const { db } = test.database;
    const found = await db.transaction(async (tx) => {
      await queryRows(tx, sql`SELECT 42 AS answer_without_parameters`);
      return preparedLike(tx, 'answer_without_parameters');
    });
    expect(found).toEqual([]);
  });

  it('leaves statements unnamed inside withCustomPlans, in its transactions too, and names them again after', async () => {
    const { db } = test.database;
    const inside = await withCustomPlans(() =>
      db.transaction(async (tx) => {
        await queryRows(tx, sql`SELECT ${41}::int + 1 AS answer_planned_each_time`);
        return preparedLike(tx, 'answer_planned_each_time');
      }),
    );
    expect(inside).toEqual([]);
    const after = await db.transaction(async (tx) => {
      await queryRows(tx, sql`SELECT ${41}::int + 1 AS answer_planned_each_time`);
      return preparedLike(tx, 'answer_planned_each_time');
    });
    expect(after).toHaveLength(1);
  });

  it('leaves a lazy Drizzle query unnamed when withCustomPlans is handed the builder itself', async () => {
    const { db } = test.database;
    const found = await db.transaction(async (tx) => {
      await withCustomPlans(() =>
        tx.select({ answer: sql<number>`${41}::int + 1` }).from(sql`(SELECT 1) AS lazy_builder_marker`),
      );
      return preparedLike(tx, 'lazy_builder_marker');
    });
    expect(found).toEqual([]);
  });
});
