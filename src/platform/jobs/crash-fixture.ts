/**
 * Child process for crash.test.ts: a worker that starts the crash job and hangs in its handler
 * until the test SIGKILLs it. Run with `node --import tsx src/platform/jobs/crash-fixture.ts`
 * and CRASH_DATABASE_URL (server) or CRASH_DATA_DIR (embedded PGlite directory) set.
 */
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { openDatabase } from '../db/database.js';
import { defineJob, JobRegistry } from './job-registry.js';
import { JobWorker } from './worker.js';

export const CRASH_JOB_NAME = 'test.crash.effect';
export const crashPayloadSchema = z.object({ label: z.string() });
/** Short, so the parent can take the job over about a second after the kill. */
export const CRASH_LEASE_MS = 1000;
/** With CRASH_NODE_ID set: a long lease, which only the node's own restart may cut short. */
export const NODE_CRASH_LEASE_MS = 60_000;

async function main(): Promise<void> {
  const database = await openDatabase({
    url: process.env.CRASH_DATABASE_URL,
    dataDir: process.env.CRASH_DATA_DIR,
  });
  const hanging = defineJob({
    name: CRASH_JOB_NAME,
    payloadSchema: crashPayloadSchema,
    handler: async (_payload, ctx) => {
      // Recorded outside any completion transaction: it survives the kill, proving the handler started.
      await database.db.execute(
        sql`INSERT INTO crash_started (job_id, pid) VALUES (${ctx.job.id}, ${process.pid})`,
      );
      process.stdout.write(`STARTED ${ctx.job.id}\n`);
      // Never finishes; the worker's heartbeat timer keeps the process (and the lease) alive.
      await new Promise<never>(() => undefined);
    },
  });
  const worker = new JobWorker({
    database,
    registry: new JobRegistry().register(hanging),
    logger: pino({ level: 'warn' }, pino.destination(2)),
    concurrency: 1,
    pollMs: 100,
    ...(process.env.CRASH_NODE_ID
      ? { nodeId: process.env.CRASH_NODE_ID, leaseMs: NODE_CRASH_LEASE_MS }
      : { leaseMs: CRASH_LEASE_MS, workerId: `crash-fixture:${process.pid}` }),
  });
  await worker.start();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`crash fixture failed: ${String(error)}\n`);
    process.exit(1);
  });
}
