import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { queryRows } from './database.js';

/**
 * A server that ends a connection (restart, failover, an administrator's pg_terminate_backend,
 * idle_in_transaction_session_timeout) must fail what ran on it and nothing else: a transaction
 * is rejected, a listener listens again. postgres.js 3.x wrote a lost transaction's ROLLBACK to
 * the closed socket from a timer, which threw outside any promise and took the whole node down.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a lost server connection', () => {
  let test: TestDatabase;
  const uncaught: unknown[] = [];
  const record = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test.drop();
  });
  beforeEach(() => {
    uncaught.length = 0;
    process.on('uncaughtException', record);
  });
  afterEach(() => {
    process.off('uncaughtException', record);
  });

  async function afterDeferredWrites(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  it('rejects the transaction whose connection the server ended, and the pool keeps serving', async () => {
    const { db } = test.database;

    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
      }),
    ).rejects.toThrow();
    await afterDeferredWrites();

    expect(uncaught).toEqual([]);
    const rows = await queryRows<{ answer: number }>(db, sql`select 42 as answer`);
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it('rejects a transaction ended from another session while its statement runs, and commits the next one', async () => {
    const { db } = test.database;
    await db.execute(sql`create table if not exists connection_loss_probe (note text not null)`);

    const doomed = db.transaction(async (tx) => {
      await tx.execute(sql`insert into connection_loss_probe values ('lost')`);
      await tx.execute(sql`select pg_sleep(10)`);
    });
    const settled = doomed.then(
      () => 'committed',
      () => 'rejected',
    );
    await expect
      .poll(async () => {
        const sleeping = await queryRows<{ ended: boolean }>(
          db,
          sql`select pg_terminate_backend(pid) as ended from pg_stat_activity
              where datname = current_database() and query like 'select pg_sleep(10)%'`,
        );
        return sleeping.length;
      })
      .toBe(1);
    expect(await settled).toBe('rejected');
    await afterDeferredWrites();

    expect(uncaught).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into connection_loss_probe values ('kept')`);
    });
    const notes = await queryRows<{ note: string }>(db, sql`select note from connection_loss_probe`);
    expect(notes).toEqual([{ note: 'kept' }]);
  });

  it('listens again after the listening connection is lost, says so, and hears what is sent next', async () => {
    const { database } = test;
    const heard: string[] = [];
    let listening = 0;
    const unlisten = await database.listen(
      'connection_loss_probe',
      (payload) => heard.push(payload),
      () => (listening += 1),
    );
    try {
      expect(listening).toBe(1);
      const ended = await queryRows<{ ended: boolean }>(
        database.db,
        sql`select pg_terminate_backend(pid) as ended from pg_stat_activity
            where datname = current_database() and query like 'listen %connection_loss_probe%'`,
      );
      expect(ended).toEqual([{ ended: true }]);

      // Listeners that start over when told (the API-key cache) rely on this second call.
      await expect.poll(() => listening, { timeout: 10_000 }).toBe(2);
      await database.notify('connection_loss_probe', 'after the loss');
      await expect.poll(() => heard, { timeout: 5_000 }).toEqual(['after the loss']);
      expect(uncaught).toEqual([]);
    } finally {
      await unlisten();
    }
  });
});
