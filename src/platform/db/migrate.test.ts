import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { isMigrated, migrate } from './migrate.js';
import { queryRows } from './database.js';

describe(`migrations (${process.env.TEST_DATABASE_URL ? 'server' : 'embedded'})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('creates the schema and records every migration', async () => {
    const tables = await queryRows<{ table_name: string }>(
      testDb.database.db,
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );

    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['accounts', 'users', 'jobs', 'events', 'webhook_subscriptions']),
    );
    expect(await isMigrated(testDb.database.db)).toBe(true);
  });

  it('applies nothing the second time, even when two runs race', async () => {
    const results = await Promise.all([migrate(testDb.database.db), migrate(testDb.database.db)]);

    expect(results.map((result) => result.applied)).toEqual([0, 0]);
  });
});
