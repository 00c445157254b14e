import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { queryRows } from '../db/database.js';
import { enqueue } from './enqueue.js';
import { LeaseLostError } from './job-errors.js';
import { getJob } from './job-queries.js';
import { defineJob, JobRegistry, type AnyJobDefinition } from './job-registry.js';
import { count, createTestWorker, delay, silentLogger } from '../../testing/job-test-kit.js';
import { JobWorker } from './worker.js';

describe(`job worker leases (${backendName})`, () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await testDb.database.db.execute(sql`CREATE TABLE job_effects (job_id bigint NOT NULL, note text)`);
  });
  afterAll(async () => {
    await testDb.drop();
  });

  function workerFor(
    definitions: AnyJobDefinition[],
    options: { leaseMs?: number; concurrency?: number } = {},
  ) {
    return createTestWorker(testDb.database, definitions, { ...options });
  }

  const job = async (id: number) => (await getJob(testDb.database.db, id))!;

  it('takes over a job whose lease expired, and marks it dead when that was its last attempt, telling its module', async () => {
    const { db } = testDb.database;
    let runs = 0;
    const definition = defineJob({
      name: 'test.worker.takeover',
      payloadSchema: z.object({ note: z.string() }),
      maxAttempts: 2,
      handler: () => {
        runs += 1;
        return Promise.resolve();
      },
      onAbandoned: async (tx, payload, reason) => {
        await tx.execute(
          sql`INSERT INTO job_effects (job_id, note) VALUES (0, ${`${payload.note}: ${reason}`})`,
        );
      },
    });
    const retried = await enqueue(db, definition, { note: 'retried' });
    const exhausted = await enqueue(db, definition, { note: 'exhausted' });
    // Both look claimed by a worker that died: running, lease expired; the second on its last attempt.
    await db.execute(sql`UPDATE jobs SET state = 'running', attempts = 1, lease_token = gen_random_uuid(),
      locked_by = 'ghost', locked_until = now() - interval '1 second' WHERE id = ${retried}`);
    await db.execute(sql`UPDATE jobs SET state = 'running', attempts = 2, lease_token = gen_random_uuid(),
      locked_by = 'ghost', locked_until = now() - interval '1 second' WHERE id = ${exhausted}`);

    expect(await workerFor([definition]).runOnce()).toBe(2);

    expect(runs).toBe(1);
    expect(await job(retried)).toMatchObject({ state: 'completed', attempts: 2 });
    expect(await job(exhausted)).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastError: 'lease expired: worker lost',
    });
    const effects = await queryRows<{ note: string }>(db, sql`SELECT note FROM job_effects WHERE job_id = 0`);
    expect(effects.map((row) => row.note)).toEqual(['exhausted: lease expired: worker lost']);
  });

  it('keeps a running job leased by heartbeat, so another worker cannot take it', async () => {
    const { db } = testDb.database;
    const definition = defineJob({
      name: 'test.worker.heartbeat',
      payloadSchema: z.object({}),
      handler: async (_payload, ctx) => {
        await delay(900);
        await ctx.complete(async (tx) => {
          await tx.execute(sql`INSERT INTO job_effects (job_id, note) VALUES (${ctx.job.id}, 'heartbeat')`);
        });
      },
    });
    const id = await enqueue(db, definition, {});
    const first = workerFor([definition], { leaseMs: 300 });
    const second = workerFor([definition], { leaseMs: 300 });

    const running = first.runOnce();
    await delay(600); // twice the lease: without heartbeats it would have expired
    expect(await second.runOnce()).toBe(0);
    expect(await running).toBe(1);

    expect(await job(id)).toMatchObject({ state: 'completed', attempts: 1 });
    expect(await count(db, sql`SELECT count(*) AS count FROM job_effects WHERE job_id = ${id}`)).toBe(1);
  });

  it('does not abort a handler that keeps running after ctx.complete', async () => {
    const { db } = testDb.database;
    const signals: AbortSignal[] = [];
    const definition = defineJob({
      name: 'test.worker.after-complete',
      payloadSchema: z.object({}),
      handler: async (_payload, ctx) => {
        await ctx.complete(async (tx) => {
          await tx.execute(sql`INSERT INTO job_effects (job_id, note) VALUES (${ctx.job.id}, 'early')`);
        });
        await delay(400); // several heartbeats (lease 150 ms): they find no lease, as expected
        signals.push(ctx.signal);
      },
    });
    const id = await enqueue(db, definition, {});

    expect(await workerFor([definition], { leaseMs: 150 }).runOnce()).toBe(1);

    expect(signals[0]?.aborted).toBe(false);
    expect(await job(id)).toMatchObject({ state: 'completed', attempts: 1 });
  });

  it('a worker that lost its lease cannot complete the job, and its ctx.complete writes roll back', async () => {
    const { db } = testDb.database;
    const results: { aborted: boolean; error: unknown }[] = [];
    const definition = defineJob({
      name: 'test.worker.stolen',
      payloadSchema: z.object({}),
      handler: async (_payload, ctx) => {
        // Meanwhile "another worker" takes the job over: the lease token changes under us.
        await db.execute(sql`UPDATE jobs SET lease_token = gen_random_uuid() WHERE id = ${ctx.job.id}`);
        await delay(150); // a few heartbeats (lease 300 ms → every 100 ms)
        const error = await ctx
          .complete(async (tx) => {
            await tx.execute(sql`INSERT INTO job_effects (job_id, note) VALUES (${ctx.job.id}, 'stolen')`);
          })
          .catch((caught: unknown) => caught);
        results.push({ aborted: ctx.signal.aborted, error });
      },
    });
    const id = await enqueue(db, definition, {});

    expect(await workerFor([definition], { leaseMs: 300 }).runOnce()).toBe(1);

    expect(results[0]?.aborted).toBe(true);
    expect(results[0]?.error).toBeInstanceOf(LeaseLostError);
    expect(await count(db, sql`SELECT count(*) AS count FROM job_effects WHERE job_id = ${id}`)).toBe(0);
    expect(await job(id)).toMatchObject({ state: 'running', attempts: 1 });
    await db.execute(sql`UPDATE jobs SET state = 'cancelled' WHERE id = ${id}`);
  });

  it('start() runs jobs as soon as they are notified, and stop() waits for running handlers', async () => {
    const { db } = testDb.database;
    let finished = 0;
    const definition = defineJob({
      name: 'test.worker.notified',
      queue: 'notified',
      payloadSchema: z.object({}),
      handler: async () => {
        await delay(200);
        finished += 1;
      },
    });
    const worker = new JobWorker({
      database: testDb.database,
      registry: new JobRegistry().register(definition),
      logger: silentLogger,
      concurrency: 2,
      pollMs: 60_000, // only the notification can wake it in time
    });
    await worker.start();
    await delay(100); // let the first (empty) poll pass

    const started = Date.now();
    const id = await enqueue(db, definition, {});
    while ((await job(id)).state === 'queued' && Date.now() - started < 5000) await delay(20);
    expect((await job(id)).state).toBe('running');
    await worker.stop({ timeoutMs: 5000 });

    expect(finished).toBe(1);
    expect(await job(id)).toMatchObject({ state: 'completed' });
  });

  it('stop() aborts handlers that outlive its timeout and leaves their jobs to another worker', async () => {
    const { db } = testDb.database;
    const signals: AbortSignal[] = [];
    const release: { now: () => void } = { now: () => undefined };
    const lateCompletion: Promise<unknown>[] = [];
    const stuck = defineJob({
      name: 'test.worker.stuck',
      payloadSchema: z.object({}),
      handler: async (_payload, ctx) => {
        signals.push(ctx.signal);
        // Ignores its signal and hangs until the test releases it.
        await new Promise<void>((resolve) => (release.now = resolve));
        const late = ctx.complete(async (tx) => {
          await tx.execute(sql`INSERT INTO job_effects (job_id, note) VALUES (${ctx.job.id}, 'stuck')`);
        });
        lateCompletion.push(
          late.then(
            () => 'completed',
            (error: unknown) => error,
          ),
        );
        await late;
      },
    });
    const id = await enqueue(db, stuck, {});
    const worker = workerFor([stuck], { leaseMs: 300 });
    await worker.start();
    while (signals.length === 0) await delay(20);

    const stopping = Date.now();
    await worker.stop({ timeoutMs: 200 });
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(signals[0]?.aborted).toBe(true);
    expect((await job(id)).state).toBe('running');

    await delay(400); // no more heartbeats: the lease expires
    const healthy = defineJob({
      name: 'test.worker.stuck',
      payloadSchema: z.object({}),
      handler: async (_payload, ctx) => {
        await ctx.complete(async (tx) => {
          await tx.execute(sql`INSERT INTO job_effects (job_id, note) VALUES (${ctx.job.id}, 'healthy')`);
        });
      },
    });
    expect(await workerFor([healthy]).runOnce()).toBe(1);
    release.now();
    while (lateCompletion.length === 0) await delay(10);
    expect(await lateCompletion[0]).toBeInstanceOf(LeaseLostError);

    expect(await job(id)).toMatchObject({ state: 'completed', attempts: 2 });
    const notes = await count(db, sql`SELECT count(*) AS count FROM job_effects WHERE job_id = ${id}`);
    expect(notes).toBe(1);
  });
});
