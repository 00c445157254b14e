import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { createTestWorker, gate, waitFor } from '../../testing/job-test-kit.js';
import { enqueue } from './enqueue.js';
import { getJob } from './job-queries.js';
import { defineJob } from './job-registry.js';

describe(`stopping a worker whose job ignores the abort (${backendName})`, () => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it('hands the job to another worker at once instead of after its lease', async () => {
    const { db } = testDb.database;
    const stuck = gate();
    const started = gate();
    let runs = 0;
    const definition = defineJob({
      name: 'test.worker.ignores-abort',
      payloadSchema: z.object({}),
      handler: async () => {
        runs += 1;
        if (runs === 1) {
          started.open();
          // Deaf to ctx.signal, as a handler stuck in a call without a timeout would be.
          await stuck.promise;
        }
      },
    });
    const id = await enqueue(db, definition, {});
    const first = createTestWorker(testDb.database, [definition], { leaseMs: 60_000 });
    await first.start();
    await started.promise;

    const stopping = Date.now();
    await first.stop({ timeoutMs: 100 });
    const second = createTestWorker(testDb.database, [definition], { leaseMs: 60_000 });
    await second.start();

    try {
      // Without the release, the 60 s lease would keep the job from the second worker.
      await waitFor(async () => (await getJob(db, id))?.state === 'completed', { timeoutMs: 10_000 });
      expect(Date.now() - stopping).toBeLessThan(10_000);
      expect(runs).toBe(2);
    } finally {
      stuck.open();
      await second.stop();
    }
  });
});
