import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Db } from '../db/database.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { silentLogger, waitFor } from '../../testing/job-test-kit.js';
import { enqueue } from './enqueue.js';
import { defineJob, JobRegistry, type AnyJobDefinition } from './job-registry.js';
import { JobWorker } from './worker.js';

const dialect = new PgDialect();

/** The database as the worker sees it, counting its polls' probes and its claims per queue. */
function countingClaims(database: Database, queues: readonly string[]) {
  const claims = new Map(queues.map((queue) => [queue, 0]));
  const probes = { count: 0 };
  const db: Db = new Proxy(database.db, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver);
      return (query: SQL) => {
        const { sql, params } = dialect.sqlToQuery(query);
        if (sql.includes('AS q(queue)')) probes.count += 1;
        if (sql.includes('WITH busy AS')) {
          for (const queue of queues) if (params.includes(queue)) claims.set(queue, claims.get(queue)! + 1);
        }
        return target.execute(query);
      };
    },
  });
  return { database: { ...database, db }, claims, probes };
}

describe(`the worker's wakes (${backendName})`, () => {
  let testDb: TestDatabase;
  const ran: string[] = [];
  const jobIn = (queue: string, onRun: (n: number) => Promise<void> = () => Promise.resolve()) =>
    defineJob({
      name: `test.wakes.${queue}`,
      queue,
      payloadSchema: z.object({ n: z.number() }),
      handler: async ({ n }, ctx) => {
        ran.push(`${queue}:${String(n)}`);
        await onRun(n);
        await ctx.complete(() => Promise.resolve());
      },
    });
  const workerFor = (database: Database, definitions: AnyJobDefinition[], pollMs: number) =>
    new JobWorker({
      database,
      registry: new JobRegistry().register(...definitions),
      logger: silentLogger,
      pools: [
        { name: 'a', queues: ['wakes-a'], concurrency: 1 },
        { name: 'b', queues: ['wakes-b'], concurrency: 1 },
      ],
      pollMs,
      leaseMs: 30_000,
    });

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** A started worker with a plain job in each pool, counting what it sends. */
  async function countedWorker(pollMs: number) {
    const a = jobIn('wakes-a');
    const b = jobIn('wakes-b');
    const counting = countingClaims(testDb.database, ['wakes-a', 'wakes-b']);
    const worker = workerFor(counting.database, [a, b], pollMs);
    await worker.start();
    return { a, b, counting, worker };
  }

  it("claims for the notified job's pool only, not for every pool", async () => {
    // No poll during the test: only the notification and the freed slot can start a claim.
    const { a, counting, worker } = await countedWorker(60_000);
    try {
      await waitFor(() => counting.probes.count >= 1, { what: 'the first poll' });

      await enqueue(testDb.database.db, a, { n: 1 });
      await waitFor(() => ran.includes('wakes-a:1'), { what: 'the notified job' });
      await waitFor(() => counting.claims.get('wakes-a')! >= 2, { what: 'the claim after it' });
      expect(counting.claims.get('wakes-b')).toBe(0);
    } finally {
      await worker.stop({ timeoutMs: 5_000 });
    }
  });

  it('polls with one probe while idle, and claims for the pool whose delayed job came due', async () => {
    const { b, counting, worker } = await countedWorker(50);
    try {
      await waitFor(() => counting.probes.count >= 5, { what: 'five polls' });
      expect(Object.fromEntries(counting.claims)).toEqual({ 'wakes-a': 0, 'wakes-b': 0 });

      // Its notification comes before it is due: only a poll can find it when it is.
      await enqueue(testDb.database.db, b, { n: 3 }, { delayMs: 300 });
      await waitFor(() => ran.includes('wakes-b:3'), { what: 'the delayed job' });
      expect(counting.claims.get('wakes-a')).toBe(0);
    } finally {
      await worker.stop({ timeoutMs: 5_000 });
    }
  });

  it("still polls every pool while another pool's work keeps waking the loop", async () => {
    ran.length = 0;
    const chainEndsAt = Date.now() + 3_000;
    // Each of pool a's jobs enqueues the next for 3 s: the loop never sleeps out its interval.
    const chained: AnyJobDefinition = jobIn('wakes-a', async (n) => {
      if (Date.now() < chainEndsAt) await enqueue(testDb.database.db, chained, { n: n + 1 });
    });
    const delayed = jobIn('wakes-b');
    const worker = workerFor(testDb.database, [chained, delayed], 300);
    await worker.start();
    try {
      await enqueue(testDb.database.db, chained, { n: 0 });
      await enqueue(testDb.database.db, delayed, { n: 7 }, { delayMs: 200 });
      await waitFor(() => ran.includes('wakes-b:7') && Date.now() > chainEndsAt, {
        timeoutMs: 10_000,
        what: 'the delayed job and the end of the chain',
      });
      // Pool b's job ran while pool a's chain went on (not once it ended): a's jobs came after it.
      const chainAfterIt = ran.slice(ran.indexOf('wakes-b:7')).filter((entry) => entry.startsWith('wakes-a'));
      expect(chainAfterIt.length).toBeGreaterThan(5);
    } finally {
      await worker.stop({ timeoutMs: 5_000 });
    }
  });
});
