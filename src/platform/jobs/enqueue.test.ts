import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { isDomainError } from '../errors.js';
import { enqueue, enqueueMany, JOBS_CHANNEL } from './enqueue.js';
import { getJob, listJobs } from './job-queries.js';
import { defineJob } from './job-registry.js';
import { count, delay, secondsUntilRun } from '../../testing/job-test-kit.js';

const greet = defineJob({
  name: 'test.enqueue.greet',
  queue: 'enqueue-tests',
  payloadSchema: z.object({ name: z.string().min(1) }),
  maxAttempts: 3,
  handler: () => Promise.resolve(),
});

describe(`enqueue (${backendName})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('stores the job with its options and the definition defaults', async () => {
    const { db } = testDb.database;
    const id = await enqueue(db, greet, { name: 'Ada' }, { accountId: 7, priority: 5, delayMs: 60_000 });

    const job = await getJob(db, id);
    expect(job).toMatchObject({
      name: 'test.enqueue.greet',
      queue: 'enqueue-tests',
      accountId: 7,
      payload: { name: 'Ada' },
      state: 'queued',
      priority: 5,
      attempts: 0,
      maxAttempts: 3,
    });
    expect(await secondsUntilRun(db, id)).toBeGreaterThan(55);
  });

  it('leaves no job behind when the enqueuing transaction rolls back', async () => {
    const { db } = testDb.database;
    const rollback = new Error('rollback');

    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, greet, { name: 'rolled back' });
        throw rollback;
      }),
    ).rejects.toBe(rollback);

    expect(
      await count(db, sql`SELECT count(*) AS count FROM jobs WHERE payload->>'name' = 'rolled back'`),
    ).toBe(0);
  });

  it('rejects an invalid payload with VALIDATION_FAILED and inserts nothing', async () => {
    const { db } = testDb.database;
    const before = await count(db, sql`SELECT count(*) AS count FROM jobs`);

    const error: unknown = await enqueue(db, greet, { name: '' }).catch((caught: unknown) => caught);

    expect(isDomainError(error) && error.code).toBe('VALIDATION_FAILED');
    expect(isDomainError(error) && error.details[0]?.path).toBe('name');
    expect(await count(db, sql`SELECT count(*) AS count FROM jobs`)).toBe(before);
  });

  it('returns the pending job for a repeated dedupeKey, even when two enqueue at once', async () => {
    const { db } = testDb.database;
    const [first, second] = await Promise.all(
      [1, 2].map((n) =>
        db.transaction((tx) => enqueue(tx, greet, { name: `dedupe ${n}` }, { dedupeKey: 'contact:42' })),
      ),
    );
    const third = await enqueue(db, greet, { name: 'dedupe 3' }, { dedupeKey: 'contact:42' });

    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(await count(db, sql`SELECT count(*) AS count FROM jobs WHERE dedupe_key = 'contact:42'`)).toBe(1);

    // Once that job is finished, the key is free again.
    await db.execute(sql`UPDATE jobs SET state = 'completed' WHERE id = ${first ?? 0}`);
    const fourth = await enqueue(db, greet, { name: 'dedupe 4' }, { dedupeKey: 'contact:42' });
    expect(fourth).not.toBe(first);
  });

  it('enqueues a batch with one insert and returns the ids in order', async () => {
    const { db } = testDb.database;
    const ids = await enqueueMany(db, greet, [
      { payload: { name: 'b1' }, accountId: 9 },
      { payload: { name: 'b2' }, accountId: 9, priority: 3 },
      { payload: { name: 'b3' }, accountId: 9 },
    ]);

    const page = await listJobs(db, { accountId: 9, limit: 10 });
    expect(ids).toHaveLength(3);
    expect(page.jobs.map((job) => job.id)).toEqual([...ids].reverse());
    expect(page.jobs.map((job) => job.payload)).toEqual([{ name: 'b3' }, { name: 'b2' }, { name: 'b1' }]);
    await expect(
      enqueueMany(db, greet, [{ payload: { name: 'ok' } }, { payload: { name: '' } }]),
    ).rejects.toThrow(/invalid payload/);
    expect(await enqueueMany(db, greet, [])).toEqual([]);
  });

  it('notifies workers on commit, never for a rolled-back job, and calls the notifier', async () => {
    const { database } = testDb;
    const heard: string[] = [];
    const unlisten = await database.listen(JOBS_CHANNEL, (queue) => heard.push(queue));
    let notified = 0;

    await database.db
      .transaction(async (tx) => {
        await enqueue(tx, greet, { name: 'silent' });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await delay(200);
    expect(heard).toEqual([]);

    await enqueue(database.db, greet, { name: 'loud' }, { notifier: () => (notified += 1) });
    for (let waited = 0; heard.length === 0 && waited < 5000; waited += 50) await delay(50);
    await unlisten();

    expect(heard).toEqual(['enqueue-tests']);
    expect(notified).toBe(1);
  });
});
