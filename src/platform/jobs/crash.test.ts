import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, queryRows, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { backendName, createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { CRASH_JOB_NAME, CRASH_LEASE_MS, crashPayloadSchema, NODE_CRASH_LEASE_MS } from './crash-fixture.js';
import { enqueue } from './enqueue.js';
import { getJob } from './job-queries.js';
import { defineJob, JobRegistry } from './job-registry.js';
import { count, silentLogger, waitFor } from '../../testing/job-test-kit.js';
import { JobWorker } from './worker.js';

const fixture = fileURLToPath(new URL('./crash-fixture.ts', import.meta.url));
const projectRoot = path.resolve(path.dirname(fixture), '../../..');

const effect = defineJob({
  name: CRASH_JOB_NAME,
  payloadSchema: crashPayloadSchema,
  handler: async (payload, ctx) => {
    await ctx.complete(async (tx) => {
      await tx.execute(
        sql`INSERT INTO crash_effects (job_id, label) VALUES (${ctx.job.id}, ${payload.label})`,
      );
    });
  },
});

/** Starts the fixture and resolves with the id of the job it started, or rejects with its stderr. */
function startChild(env: Record<string, string>): { child: ChildProcess; started: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const started = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start the job: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /STARTED (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited (${code ?? signal}) before starting the job: ${stderr}`));
    });
  });
  return { child, started };
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe(`worker crash (${backendName})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The server: the shared test database. Embedded: a PGlite directory the child can open after us. */
  async function prepare(): Promise<{
    database: Database;
    env: Record<string, string>;
    reopen: () => Promise<Database>;
  }> {
    if (process.env.TEST_DATABASE_URL) {
      const testDb: TestDatabase = await createTestDatabase();
      cleanups.push(() => testDb.drop());
      return {
        database: testDb.database,
        env: { CRASH_DATABASE_URL: testDb.url! },
        reopen: () => Promise.resolve(testDb.database),
      };
    }
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-crash-'));
    cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const database = await openDatabase({ dataDir });
    await migrate(database.db);
    const reopen = async () => {
      const reopened = await openDatabase({ dataDir });
      cleanups.push(() => reopened.close());
      return reopened;
    };
    return { database, env: { CRASH_DATA_DIR: dataDir }, reopen };
  }

  it(
    'a worker SIGKILLed mid-job: the job is retried, not lost, and completed exactly once',
    { timeout: 60_000 },
    async () => {
      const prepared = await prepare();
      const { db } = prepared.database;
      await db.execute(sql`CREATE TABLE crash_started (job_id bigint NOT NULL, pid int NOT NULL)`);
      await db.execute(sql`CREATE TABLE crash_effects (job_id bigint NOT NULL, label text NOT NULL)`);
      const id = await enqueue(db, effect, { label: 'survivor' });
      // PGlite is single-process: hand the directory over to the child.
      if (backendName === 'embedded') await prepared.database.close();

      const { child, started } = startChild(prepared.env);
      cleanups.push(() => killed(child));
      expect(await started).toBe(id);
      await killed(child);

      const database = await prepared.reopen();
      expect(await getJob(database.db, id)).toMatchObject({ state: 'running', attempts: 1 });
      expect(await count(database.db, sql`SELECT count(*) AS count FROM crash_started`)).toBe(1);
      const worker = new JobWorker({
        database,
        registry: new JobRegistry().register(effect),
        logger: silentLogger,
        concurrency: 1,
        pollMs: 50,
        leaseMs: CRASH_LEASE_MS,
      });
      // Nothing to claim until the dead child's lease expires (at most CRASH_LEASE_MS after its last beat).
      await waitFor(async () => (await worker.runOnce()) === 1, { timeoutMs: 10_000, what: 'the take-over' });

      expect(await getJob(database.db, id)).toMatchObject({ state: 'completed', attempts: 2 });
      expect(
        await count(database.db, sql`SELECT count(*) AS count FROM crash_effects WHERE job_id = ${id}`),
      ).toBe(1);
      expect(await worker.runOnce()).toBe(0);
    },
  );

  it(
    'a node restarted after SIGKILL takes its job back at start, not after the 60 s lease',
    { timeout: 60_000 },
    async () => {
      const prepared = await prepare();
      const { db } = prepared.database;
      await db.execute(sql`CREATE TABLE crash_started (job_id bigint NOT NULL, pid int NOT NULL)`);
      await db.execute(sql`CREATE TABLE crash_effects (job_id bigint NOT NULL, label text NOT NULL)`);
      const id = await enqueue(db, effect, { label: 'reclaimed' });
      if (backendName === 'embedded') await prepared.database.close();

      const { child, started } = startChild({ ...prepared.env, CRASH_NODE_ID: 'crash-node' });
      cleanups.push(() => killed(child));
      expect(await started).toBe(id);
      await killed(child);

      const database = await prepared.reopen();
      const [lease] = await queryRows<{ seconds: number | string }>(
        database.db,
        sql`SELECT extract(epoch FROM locked_until - now())::float8 AS seconds FROM jobs WHERE id = ${id}`,
      );
      expect(Number(lease?.seconds)).toBeGreaterThan(NODE_CRASH_LEASE_MS / 1000 / 2);
      const restarted = new JobWorker({
        database,
        registry: new JobRegistry().register(effect),
        logger: silentLogger,
        concurrency: 1,
        pollMs: 50,
        nodeId: 'crash-node',
      });
      const restartedAt = Date.now();
      await restarted.start();
      await waitFor(async () => (await getJob(database.db, id))?.state === 'completed', {
        timeoutMs: 10_000,
        what: 'the reclaimed job',
      });
      await restarted.stop();

      expect(Date.now() - restartedAt).toBeLessThan(5000);
      expect(await getJob(database.db, id)).toMatchObject({ state: 'completed', attempts: 2 });
      expect(
        await count(database.db, sql`SELECT count(*) AS count FROM crash_effects WHERE job_id = ${id}`),
      ).toBe(1);
    },
  );
});
