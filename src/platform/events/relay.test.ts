import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAccount } from '../../core/filters/filter-test-kit.js';
import { labelCreated } from '../../core/labels/labels.events.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { queryRows, type Db } from '../db/database.js';
import { createLogger } from '../logger.js';
import { recordEvents } from './outbox.js';
import { EventRelay } from './relay.js';

describe(`event relay drain (${backendName})`, () => {
  let testDb: TestDatabase;
  let accountId: number;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    accountId = await insertAccount(testDb.database.db);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  const record = (ids: number[]) =>
    recordEvents(
      testDb.database.db,
      labelCreated,
      ids.map((id) => ({
        accountId,
        aggregateId: id,
        payload: {
          id,
          uuid: crypto.randomUUID(),
          name: `l${id}`,
          color: null,
          description: null,
          state: 'active',
        },
      })),
    );

  /** A relay whose dispatch transactions are counted, and the batch sizes its consumer saw. */
  function countedRelay() {
    const { db } = testDb.database;
    const counted = { transactions: 0, batches: [] as number[] };
    const countingDb = Object.create(db, {
      transaction: {
        value: (...args: Parameters<Db['transaction']>) => {
          counted.transactions += 1;
          return db.transaction(...args);
        },
      },
    }) as Db;
    const relay = new EventRelay({
      database: { ...testDb.database, db: countingDb },
      consumers: [
        { name: 'sizes', handle: (_tx, batch) => Promise.resolve(void counted.batches.push(batch.length)) },
      ],
      logger: createLogger({ LOG_LEVEL: 'silent' }),
      batchSize: 2,
    });
    return { relay, counted };
  }

  it('dispatches everything pending and stops at the first short batch, without a look that finds nothing', async () => {
    await record([1, 2, 3, 4, 5]);
    const { relay, counted } = countedRelay();

    const dispatched = await relay.drain();

    expect(dispatched).toBe(5);
    expect(counted.batches).toEqual([2, 2, 1]);
    expect(counted.transactions).toBe(3);
    const [left] = await queryRows<{ n: number }>(
      testDb.database.db,
      sql`SELECT count(*)::int AS n FROM events WHERE dispatched_at IS NULL`,
    );
    expect(left?.n).toBe(0);
  });

  it('looks once more after a full batch, which may not have been the last', async () => {
    await record([6, 7, 8, 9]);
    const { relay, counted } = countedRelay();

    expect(await relay.drain()).toBe(4);
    expect(counted.batches).toEqual([2, 2]);
    expect(counted.transactions).toBe(3);
  });
});
