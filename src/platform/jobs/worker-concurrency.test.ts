import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { openDatabase, queryRows, type Database } from '../db/database.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { enqueueMany } from './enqueue.js';
import { defineJob, JobRegistry } from './job-registry.js';
import { count, delay, silentLogger, waitFor } from '../../testing/job-test-kit.js';
import { JobWorker } from './worker.js';

describe(`two concurrent workers (${backendName})`, () => {
  let testDb: TestDatabase;
  // On the server each worker gets its own pool, as two nodes would; PGlite has one connection to share.
  let second: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    second = testDb.url ? await openDatabase({ url: testDb.url, poolSize: 5 }) : testDb.database;
    await testDb.database.db.execute(sql`CREATE TABLE job_effects (job_id bigint NOT NULL)`);
  });
  afterAll(async () => {
    if (second !== testDb.database) await second.close();
    await testDb.drop();
  });

  it('run each of 50 jobs exactly once', async () => {
    const { db } = testDb.database;
    const invocations = new Map<number, number>();
    const definition = defineJob({
      name: 'test.concurrency.effect',
      payloadSchema: z.object({ n: z.number() }),
      handler: async (_payload, ctx) => {
        invocations.set(ctx.job.id, (invocations.get(ctx.job.id) ?? 0) + 1);
        await delay(Math.random() * 20);
        await ctx.complete(async (tx) => {
          await tx.execute(sql`INSERT INTO job_effects (job_id) VALUES (${ctx.job.id})`);
        });
      },
    });
    const workers = [testDb.database, second].map(
      (database, index) =>
        new JobWorker({
          database,
          registry: new JobRegistry().register(definition),
          logger: silentLogger,
          concurrency: 4,
          pollMs: 50,
          leaseMs: 30_000,
          workerId: `worker-${index}`,
        }),
    );
    await Promise.all(workers.map((worker) => worker.start()));

    const ids = await enqueueMany(
      db,
      definition,
      Array.from({ length: 50 }, (_, n) => ({ payload: { n } })),
    );
    await waitFor(
      async () => (await count(db, sql`SELECT count(*) AS count FROM jobs WHERE state = 'completed'`)) === 50,
      { timeoutMs: 20_000, what: '50 completed jobs' },
    );
    await Promise.all(workers.map((worker) => worker.stop({ timeoutMs: 5000 })));

    const perJob = await queryRows<{ job_id: number | string; n: number | string }>(
      db,
      sql`SELECT job_id, count(*) AS n FROM job_effects GROUP BY job_id`,
    );
    expect(perJob.map((row) => Number(row.job_id)).sort((a, b) => a - b)).toEqual(ids);
    expect(perJob.every((row) => Number(row.n) === 1)).toBe(true);
    expect([...invocations.values()].every((n) => n === 1)).toBe(true);
    expect(invocations.size).toBe(50);
    const claims = await queryRows<{ locked_by: string; n: number | string }>(
      db,
      sql`SELECT locked_by, count(*) AS n FROM jobs GROUP BY locked_by`,
    );
    const ranBy = new Map(claims.map((row) => [row.locked_by, Number(row.n)]));
    // Both workers took part, so the run really was concurrent.
    expect(ranBy.get('worker-0')).toBeGreaterThan(0);
    expect(ranBy.get('worker-1')).toBeGreaterThan(0);
    expect(await count(db, sql`SELECT count(*) AS count FROM jobs WHERE attempts <> 1`)).toBe(0);
  });
});
