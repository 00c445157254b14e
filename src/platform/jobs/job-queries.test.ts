import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { isDomainError } from '../errors.js';
import { enqueue } from './enqueue.js';
import { cancelJob, countPendingByQueue, getJob, listJobs, retryJob } from './job-queries.js';
import { defineJob, JobRegistry } from './job-registry.js';
import { silentLogger } from '../../testing/job-test-kit.js';
import { JobWorker } from './worker.js';

const ping = defineJob({
  name: 'test.queries.ping',
  queue: 'queries',
  payloadSchema: z.object({ n: z.number() }),
  handler: () => Promise.resolve(),
});

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isDomainError(error) ? error.code : undefined;
}

describe(`job queries (${backendName})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('lists one account’s jobs newest first, page by page', async () => {
    const { db } = testDb.database;
    const mine: number[] = [];
    for (let n = 0; n < 5; n += 1) mine.push(await enqueue(db, ping, { n }, { accountId: 1 }));
    await enqueue(db, ping, { n: 99 }, { accountId: 2 });
    const system = await enqueue(db, ping, { n: 100 });

    const first = await listJobs(db, { accountId: 1, limit: 2 });
    const second = await listJobs(db, { accountId: 1, limit: 2, afterId: first.nextCursor! });
    const third = await listJobs(db, { accountId: 1, limit: 2, afterId: second.nextCursor! });

    expect([...first.jobs, ...second.jobs, ...third.jobs].map((job) => job.id)).toEqual([...mine].reverse());
    expect(third.nextCursor).toBeNull();
    expect((await listJobs(db, { accountId: null, limit: 10 })).jobs.map((job) => job.id)).toEqual([system]);
    expect((await listJobs(db, { limit: 100, name: ping.name, state: 'queued' })).jobs).toHaveLength(7);
  });

  it('gets a job only within its account', async () => {
    const { db } = testDb.database;
    const id = await enqueue(db, ping, { n: 1 }, { accountId: 1 });

    expect((await getJob(db, id, { accountId: 1 }))?.payload).toEqual({ n: 1 });
    expect(await getJob(db, id, { accountId: 2 })).toBeNull();
    expect(await getJob(db, 987_654_321)).toBeNull();
  });

  it('counts pending jobs per queue and state', async () => {
    const { db } = testDb.database;
    const other = defineJob({
      name: 'test.queries.other',
      queue: 'other',
      payloadSchema: z.object({}),
      handler: () => Promise.resolve(),
    });
    const retrying = await enqueue(db, other, {});
    await enqueue(db, other, {});
    await db.execute(sql`UPDATE jobs SET state = 'retrying' WHERE id = ${retrying}`);

    const depth = await countPendingByQueue(db);

    expect(depth).toContainEqual({ queue: 'other', state: 'queued', count: 1 });
    expect(depth).toContainEqual({ queue: 'other', state: 'retrying', count: 1 });
    expect(depth.find((row) => row.queue === 'queries' && row.state === 'queued')?.count).toBeGreaterThan(0);
  });

  it('puts a dead job back to queued, and a worker runs it', async () => {
    const { db } = testDb.database;
    let fail = true;
    const flaky = defineJob({
      name: 'test.queries.flaky',
      payloadSchema: z.object({}),
      maxAttempts: 1,
      handler: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve()),
    });
    const worker = new JobWorker({
      database: testDb.database,
      registry: new JobRegistry().register(flaky),
      logger: silentLogger,
      concurrency: 1,
      pollMs: 50,
    });
    const id = await enqueue(db, flaky, {}, { accountId: 4, dedupeKey: 'k' });
    await worker.runOnce();
    expect(await getJob(db, id)).toMatchObject({ state: 'dead', attempts: 1, lastError: 'down' });

    expect(await errorCode(retryJob(db, id, 5))).toBe('NOT_FOUND');
    const retried = await retryJob(db, id, 4);
    expect(retried).toMatchObject({ state: 'queued', attempts: 0, finishedAt: null });
    expect(await errorCode(retryJob(db, id))).toBe('INVALID_STATE');

    fail = false;
    expect(await worker.runOnce()).toBe(1);
    expect(await getJob(db, id)).toMatchObject({ state: 'completed', attempts: 1 });
  });

  it('refuses to retry a dead job while an equal one is pending', async () => {
    const { db } = testDb.database;
    const dead = await enqueue(db, ping, { n: 1 }, { dedupeKey: 'same' });
    await db.execute(sql`UPDATE jobs SET state = 'dead' WHERE id = ${dead}`);
    await enqueue(db, ping, { n: 2 }, { dedupeKey: 'same' });

    expect(await errorCode(retryJob(db, dead))).toBe('CONFLICT');
    expect((await getJob(db, dead))?.state).toBe('dead');
  });

  it('cancels a queued job but not a running or finished one', async () => {
    const { db } = testDb.database;
    const id = await enqueue(db, ping, { n: 1 }, { accountId: 1 });

    expect(await errorCode(cancelJob(db, id, 2))).toBe('NOT_FOUND');
    expect(await cancelJob(db, id, 1)).toMatchObject({ state: 'cancelled' });
    expect(await errorCode(cancelJob(db, id, 1))).toBe('INVALID_STATE');
    const running = await enqueue(db, ping, { n: 2 });
    await db.execute(sql`UPDATE jobs SET state = 'running' WHERE id = ${running}`);
    expect(await errorCode(cancelJob(db, running))).toBe('INVALID_STATE');
  });
});
