import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { count, createTestWorker, delay, gate, waitFor } from '../../testing/job-test-kit.js';
import { enqueue, enqueueMany } from './enqueue.js';
import { DeferJobError } from './job-errors.js';
import { getJob } from './job-queries.js';
import { defineJob } from './job-registry.js';

describe(`fair and isolated claiming (${backendName})`, () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it("runs one account's job among the first claims although another account queued 200 before it", async () => {
    const { db } = testDb.database;
    const ran: number[] = [];
    const definition = defineJob({
      name: 'test.fair.accounts',
      payloadSchema: z.object({ account: z.number() }),
      handler: (payload) => {
        ran.push(payload.account);
        return Promise.resolve();
      },
    });
    await enqueueMany(
      db,
      definition,
      Array.from({ length: 200 }, () => ({ accountId: 1, payload: { account: 1 } })),
    );
    await enqueue(db, definition, { account: 2 }, { accountId: 2 });
    const worker = createTestWorker(testDb.database, [definition], { concurrency: 1 });

    for (let claim = 0; claim < 3; claim += 1) await worker.runOnce();

    expect(ran).toHaveLength(3);
    expect(ran.slice(0, 2)).toContain(2);
    await db.execute(
      sql`UPDATE jobs SET state = 'cancelled' WHERE name = ${definition.name} AND state = 'queued'`,
    );
  });

  it('keeps jobs sharing a concurrency key under its limit without holding slots for the rest', async () => {
    const { db } = testDb.database;
    const release = gate();
    const running = new Set<string>();
    let peak = 0;
    const definition = defineJob({
      name: 'test.fair.keyed',
      payloadSchema: z.object({ label: z.string() }),
      handler: async (payload) => {
        running.add(payload.label);
        peak = Math.max(peak, [...running].filter((label) => label.startsWith('slow')).length);
        if (payload.label.startsWith('slow')) await release.promise;
        running.delete(payload.label);
      },
    });
    for (let n = 0; n < 5; n += 1) {
      await enqueue(
        db,
        definition,
        { label: `slow-${n}` },
        { concurrencyKey: 'endpoint:slow', concurrencyLimit: 2 },
      );
    }
    const fast = await enqueue(db, definition, { label: 'fast' });
    const worker = createTestWorker(testDb.database, [definition], { concurrency: 4, pollMs: 20 });
    await worker.start();

    await waitFor(async () => (await getJob(db, fast))?.state === 'completed', { what: 'the unkeyed job' });
    await delay(200);
    expect(peak).toBe(2);
    expect(
      await count(
        db,
        sql`SELECT count(*) AS count FROM jobs WHERE name = ${definition.name} AND state = 'running'`,
      ),
    ).toBe(2);

    release.open();
    await waitFor(
      async () =>
        (await count(
          db,
          sql`SELECT count(*) AS count FROM jobs WHERE name = ${definition.name} AND state = 'completed'`,
        )) === 6,
      { what: 'every keyed job' },
    );
    await worker.stop();
    expect(peak).toBe(2);
  });

  it('gives each pool its own slots: a full pool does not hold up another', async () => {
    const { db } = testDb.database;
    const release = gate();
    const hanging = defineJob({
      name: 'test.fair.hanging',
      queue: 'pool-a',
      payloadSchema: z.object({}),
      handler: () => release.promise,
    });
    const quick = defineJob({
      name: 'test.fair.quick',
      queue: 'pool-b',
      payloadSchema: z.object({}),
      handler: () => Promise.resolve(),
    });
    await enqueueMany(db, hanging, [{ payload: {} }, { payload: {} }]);
    const worker = createTestWorker(testDb.database, [hanging, quick], {
      pools: [
        { name: 'a', queues: ['pool-a'], concurrency: 2 },
        { name: 'rest', concurrency: 1 },
      ],
      pollMs: 20,
    });
    await worker.start();
    await waitFor(
      async () =>
        (await count(
          db,
          sql`SELECT count(*) AS count FROM jobs WHERE name = 'test.fair.hanging' AND state = 'running'`,
        )) === 2,
      { what: 'pool a full' },
    );

    const id = await enqueue(db, quick, {});

    await waitFor(async () => (await getJob(db, id))?.state === 'completed', {
      timeoutMs: 2000,
      what: 'pool b job',
    });
    release.open();
    await worker.stop();
  });

  it('a deferred job runs again later without its attempt being counted', async () => {
    const { db } = testDb.database;
    let calls = 0;
    const definition = defineJob({
      name: 'test.fair.deferred',
      payloadSchema: z.object({}),
      maxAttempts: 1,
      handler: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new DeferJobError(50)) : Promise.resolve();
      },
    });
    const id = await enqueue(db, definition, {});
    const worker = createTestWorker(testDb.database, [definition]);

    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ state: 'retrying', attempts: 0 });
    await delay(100);
    expect(await worker.runOnce()).toBe(1);

    // maxAttempts 1: had the deferral counted, the second run would have been refused.
    expect(await getJob(db, id)).toMatchObject({ state: 'completed', attempts: 1 });
  });
});
