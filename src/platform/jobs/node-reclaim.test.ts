import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { spawn, spawnSync } from 'node:child_process';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { createTestWorker, delay, waitFor } from '../../testing/job-test-kit.js';
import { claimJobs } from './claim-jobs.js';
import { enqueue } from './enqueue.js';
import { getJob } from './job-queries.js';
import { defineJob } from './job-registry.js';

/** The pid of a process that has exited: what a node finds after kill -9 and a restart. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

describe(`a restarted node reclaims its dead process's leases (${backendName})`, () => {
  let testDb: TestDatabase;
  const ran: number[] = [];
  const definition = defineJob({
    name: 'test.reclaim.effect',
    payloadSchema: z.object({}),
    handler: (_payload, ctx) => {
      ran.push(ctx.job.id);
      return Promise.resolve();
    },
  });

  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  /** Enqueues a job and claims it with a 60 s lease as `holder`, which then "dies". */
  async function crashedWith(holder: string): Promise<number> {
    const { db } = testDb.database;
    const id = await enqueue(db, definition, {});
    const [claimed] = await claimJobs(db, {
      queues: ['default'],
      names: [definition.name],
      limit: 1,
      workerId: holder,
      leaseMs: 60_000,
    });
    expect(claimed?.id).toBe(id);
    return id;
  }

  it('runs them within seconds, not after the 60 s lease, and only on the same node', async () => {
    const { db } = testDb.database;
    // A killed process, and an earlier incarnation with this very pid (a container restarted as pid 1).
    const killed = await crashedWith(`node-x:${deadPid()}:dead0001`);
    const samePid = await crashedWith(`node-x:${process.pid}:dead0002`);

    const otherNode = createTestWorker(testDb.database, [definition], { nodeId: 'node-y', pollMs: 20 });
    await otherNode.start();
    await delay(500);
    await otherNode.stop();
    expect(ran).toEqual([]);
    expect(await getJob(db, killed)).toMatchObject({ state: 'running' });

    const started = Date.now();
    const restarted = createTestWorker(testDb.database, [definition], { nodeId: 'node-x', pollMs: 20 });
    await restarted.start();
    await waitFor(
      async () =>
        (await getJob(db, samePid))?.state === 'completed' &&
        (await getJob(db, killed))?.state === 'completed',
      {
        timeoutMs: 3000,
        what: 'the reclaimed jobs',
      },
    );
    await restarted.stop();

    expect(Date.now() - started).toBeLessThan(3000);
    expect(ran.sort((a, b) => a - b)).toEqual([killed, samePid]);
    // The lost attempt counts, as it would have after the lease ran out.
    expect(await getJob(db, killed)).toMatchObject({ state: 'completed', attempts: 2 });
  });

  it('leaves alone a lease whose holder process is still alive', async () => {
    const { db } = testDb.database;
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const id = await crashedWith(`node-z:${alive.pid}:live0001`);
      const worker = createTestWorker(testDb.database, [definition], { nodeId: 'node-z', pollMs: 20 });
      await worker.start();
      await delay(500);
      await worker.stop();

      expect(await getJob(db, id)).toMatchObject({ state: 'running', attempts: 1 });
      await db.execute(sql`UPDATE jobs SET state = 'cancelled' WHERE id = ${id}`);
    } finally {
      alive.kill('SIGKILL');
    }
  });
});
