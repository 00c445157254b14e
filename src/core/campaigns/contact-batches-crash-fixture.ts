/**
 * Child process for contact-batches-crash.test.ts: a worker node that runs contact batch steps
 * in small chunks and, once BATCH_CRASH_HANG_AFTER items have committed, hangs inside the next
 * chunk's transaction (its writes done, not committed) until the test SIGKILLs it.
 * Run with `node --import tsx src/core/campaigns/contact-batches-crash-fixture.ts` and
 * CRASH_DATABASE_URL (server) or CRASH_DATA_DIR (embedded PGlite directory), CRASH_NODE_ID set.
 */
import { pino } from 'pino';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../platform/db/database.js';
import { JobRegistry } from '../../platform/jobs/job-registry.js';
import { JobWorker } from '../../platform/jobs/worker.js';
import { defineContactBatchJob } from './contact-batches.jobs.js';

/** Small chunks, so the kill lands with several committed and one in flight. */
export const CRASH_CHUNK_SIZES = { create: 30, update: 100, delete: 100 };

async function main(): Promise<void> {
  const hangAfter = Number(process.env.BATCH_CRASH_HANG_AFTER ?? '0');
  const database = await openDatabase({
    url: process.env.CRASH_DATABASE_URL,
    dataDir: process.env.CRASH_DATA_DIR,
  });
  const job = defineContactBatchJob({
    chunkSizes: CRASH_CHUNK_SIZES,
    beforeCommit: async (_tx, step) => {
      const processed = step.batch?.processedItems ?? 0;
      if (processed <= hangAfter) return;
      // This chunk's writes are done but not committed: the kill must roll them back.
      process.stdout.write(`HANGING ${processed}\n`);
      await new Promise<never>(() => undefined);
    },
  });
  const worker = new JobWorker({
    database,
    registry: new JobRegistry().register(job),
    logger: pino({ level: 'warn' }, pino.destination(2)),
    concurrency: 1,
    pollMs: 50,
    nodeId: process.env.CRASH_NODE_ID ?? 'contact-batch-crash',
  });
  await worker.start();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`contact batch crash fixture failed: ${String(error)}\n`);
    process.exit(1);
  });
}
