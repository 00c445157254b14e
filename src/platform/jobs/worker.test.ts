import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { enqueue } from './enqueue.js';
import { getJob } from './job-queries.js';
import { defineJob, type AnyJobDefinition, type JobContext } from './job-registry.js';
import { createTestWorker, delay, makeDue, secondsUntilRun } from '../../testing/job-test-kit.js';
import { PermanentJobError, RetryLaterError, type JobOutcome } from './worker.js';

describe(`job worker (${backendName})`, () => {
  let testDb: TestDatabase;
  const outcomes: [string, JobOutcome][] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  function workerFor(
    definitions: AnyJobDefinition[],
    options: { leaseMs?: number; concurrency?: number } = {},
  ) {
    return createTestWorker(testDb.database, definitions, {
      ...options,
      onOutcome: (name, outcome) => outcomes.push([name, outcome]),
    });
  }

  const job = async (id: number) => (await getJob(testDb.database.db, id))!;

  it('runs a committed job once with the parsed payload', async () => {
    const seen: unknown[] = [];
    const contexts: JobContext['job'][] = [];
    const definition = defineJob({
      name: 'test.worker.parsed',
      payloadSchema: z.object({ n: z.string().transform(Number), tag: z.string().default('none') }),
      handler: (payload, ctx) => {
        seen.push(payload);
        contexts.push(ctx.job);
        return Promise.resolve();
      },
    });
    const id = await testDb.database.db.transaction((tx) =>
      enqueue(tx, definition, { n: '41' }, { accountId: 3 }),
    );
    const worker = workerFor([definition]);

    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);

    expect(seen).toEqual([{ n: 41, tag: 'none' }]);
    expect(contexts).toEqual([
      { id, name: definition.name, queue: 'default', accountId: 3, attempts: 1, maxAttempts: 10 },
    ]);
    expect(await job(id)).toMatchObject({ state: 'completed', attempts: 1, leaseToken: null });
    expect((await job(id)).finishedAt).toBeInstanceOf(Date);
    expect(outcomes).toContainEqual([definition.name, 'completed']);
  });

  it('does not run a delayed job before its time, and runs it after', async () => {
    let runs = 0;
    const definition = defineJob({
      name: 'test.worker.delayed',
      payloadSchema: z.object({}),
      handler: () => {
        runs += 1;
        return Promise.resolve();
      },
    });
    const worker = workerFor([definition]);
    const id = await enqueue(testDb.database.db, definition, {}, { delayMs: 700 });

    expect(await worker.runOnce()).toBe(0);
    await delay(900);
    expect(await worker.runOnce()).toBe(1);

    expect(runs).toBe(1);
    expect((await job(id)).state).toBe('completed');
  });

  it('retries a failing handler with backoff, then gives up as dead after maxAttempts', async () => {
    const { db } = testDb.database;
    const definition = defineJob({
      name: 'test.worker.failing',
      payloadSchema: z.object({}),
      maxAttempts: 3,
      backoff: (attempt) => attempt * 60_000,
      handler: (_payload, ctx) => Promise.reject(new Error(`boom ${ctx.job.attempts} ${'x'.repeat(5000)}`)),
    });
    const worker = workerFor([definition]);
    const id = await enqueue(db, definition, {});

    await worker.runOnce();
    expect(await job(id)).toMatchObject({ state: 'retrying', attempts: 1, leaseToken: null });
    expect((await job(id)).lastError).toMatch(/^boom 1 x+…$/);
    expect((await job(id)).lastError!.length).toBeLessThanOrEqual(2000);
    expect(await secondsUntilRun(db, id)).toBeGreaterThan(55);
    expect(await worker.runOnce()).toBe(0);

    await makeDue(db, id);
    await worker.runOnce();
    expect(await job(id)).toMatchObject({ state: 'retrying', attempts: 2 });
    expect(await secondsUntilRun(db, id)).toBeGreaterThan(115);

    await makeDue(db, id);
    await worker.runOnce();
    expect(await job(id)).toMatchObject({ state: 'dead', attempts: 3 });
    expect((await job(id)).lastError).toMatch(/^boom 3/);
    expect((await job(id)).finishedAt).toBeInstanceOf(Date);
    expect(outcomes.filter(([name]) => name === definition.name).map(([, outcome]) => outcome)).toEqual([
      'retried',
      'retried',
      'dead',
    ]);
  });

  it('honours RetryLaterError and sends PermanentJobError straight to dead', async () => {
    const { db } = testDb.database;
    const later = defineJob({
      name: 'test.worker.later',
      payloadSchema: z.object({}),
      backoff: () => 0,
      handler: () => Promise.reject(new RetryLaterError(120_000, 'rate limited')),
    });
    const permanent = defineJob({
      name: 'test.worker.permanent',
      payloadSchema: z.object({}),
      handler: () => Promise.reject(new PermanentJobError('410 gone')),
    });
    const laterId = await enqueue(db, later, {});
    const permanentId = await enqueue(db, permanent, {});

    expect(await workerFor([later, permanent]).runOnce()).toBe(2);

    expect(await job(laterId)).toMatchObject({
      state: 'retrying',
      attempts: 1,
      lastError: 'RetryLaterError: rate limited',
    });
    expect(await secondsUntilRun(db, laterId)).toBeGreaterThan(110);
    expect(await secondsUntilRun(db, laterId)).toBeLessThan(125);
    expect(await job(permanentId)).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: 'PermanentJobError: 410 gone',
    });
  });

  it('sends a job whose payload no longer parses to dead with the zod message', async () => {
    const old = defineJob({
      name: 'test.worker.schema',
      payloadSchema: z.object({ id: z.number() }),
      handler: () => Promise.resolve(),
    });
    let ran = false;
    const current = defineJob({
      name: 'test.worker.schema',
      payloadSchema: z.object({ id: z.string() }),
      handler: () => {
        ran = true;
        return Promise.resolve();
      },
    });
    const id = await enqueue(testDb.database.db, old, { id: 5 });

    expect(await workerFor([current]).runOnce()).toBe(1);

    expect(ran).toBe(false);
    expect(await job(id)).toMatchObject({ state: 'dead', attempts: 1 });
    expect((await job(id)).lastError).toMatch(/invalid payload: .*expected string/s);
  });
});
