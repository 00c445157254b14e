/**
 * Routing benchmark: `npm run bench:routing`.
 *
 * A simulated contact-center day against a real `parley serve` worker process (relay + job
 * worker) on PostgreSQL: 200 agents over 20 queues (the six offering algorithms in turn, chat,
 * email and voice capacities mixed), 20,000 conversations arriving with a midday peak. The bench
 * process plays customers and agents on the same database: agents accept offers after 1–15 s
 * (missing 5 % of them, which then expire and move on), close conversations after 3–15 min;
 * customers give up after 2–30 min unanswered. Simulated time runs BENCH_ROUTING_SPEEDUP times
 * faster than real time (default 10, as specified; a whole day then takes 2.4 hours, so larger
 * values are the practical choice). Offer timeouts are real seconds (BENCH_ROUTING_OFFER_TIMEOUT).
 *
 * Reports offers/s, p50/p99 enqueue → first offer, the longest wait to assignment, and checks that
 * no conversation is lost and none is offered twice at once. A second run kills the worker with
 * SIGKILL at 40 % of the arrivals and restarts it (BENCH_ROUTING_CRASH=skip to leave it out,
 * =only to run just that). Needs BENCH_DATABASE_URL (or DATABASE_URL): a database is created per
 * run and dropped afterwards. Results go to stdout and bench/results/routing.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { ParleyProcess } from '../../src/testing/chaos/parley-process.js';
import { createTopology } from './setup.js';
import { seededRandom } from './random.js';
import { simulateDay } from './simulation.js';
import { check, measure, violations } from './verdict.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? String(fallback));
const settings = {
  conversations: env('BENCH_ROUTING_CONVERSATIONS', 20_000),
  agents: env('BENCH_ROUTING_AGENTS', 200),
  queues: env('BENCH_ROUTING_QUEUES', 20),
  speedup: env('BENCH_ROUTING_SPEEDUP', 10),
  offerTimeoutSeconds: env('BENCH_ROUTING_OFFER_TIMEOUT', 2),
  missRate: env('BENCH_ROUTING_MISS_RATE', 0.05),
  seed: env('BENCH_ROUTING_SEED', 42),
  /** The simulated window; a day by default, shorter to replay e.g. the peak hours at a lower speed-up. */
  daySeconds: env('BENCH_ROUTING_DAY_SECONDS', 86_400),
};
const crashMode = process.env.BENCH_ROUTING_CRASH ?? 'both';
/** A loaded machine (a shared CI runner) can take minutes to start the worker under tsx. */
const startTimeoutMs = env('BENCH_ROUTING_START_TIMEOUT_MS', 90_000);
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'routing.json');

async function withDatabase<T>(adminUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const name = `parley_routing_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    // BENCH_ROUTING_KEEP_DB=1 leaves the database for inspection.
    if (process.env.BENCH_ROUTING_KEEP_DB !== '1')
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function runDay(url: string, withCrash: boolean) {
  const database = await openDatabase({ url, poolSize: 30 });
  await migrate(database.db);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-routing-bench-'));
  const worker = new ParleyProcess({
    databaseUrl: url,
    dataDir,
    env: {
      PARLEY_JOB_CONCURRENCY: '16',
      PARLEY_JOB_POLL_MS: '100',
      DATABASE_POOL_SIZE: '30',
      LOG_LEVEL: 'error',
    },
  });
  const random = seededRandom(settings.seed);
  let restartedInMs: number | undefined;
  try {
    const topology = await createTopology(database.db, random, settings);
    await worker.start({ timeoutMs: startTimeoutMs });
    const started = Date.now();
    const ledger = await simulateDay(database.db, topology, random, {
      ...settings,
      ...(withCrash && {
        onProgress: {
          at: 0.4,
          run: async () => {
            const killedAt = Date.now();
            await worker.kill();
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            await worker.start({ timeoutMs: startTimeoutMs });
            restartedInMs = Date.now() - killedAt;
          },
        },
      }),
    });
    const seconds = (Date.now() - started) / 1000;
    const figures = await measure(database.db, topology.accountId);
    const checks = await check(database.db, topology.accountId);
    const { errors, created, ...counts } = ledger;
    return {
      run: withCrash ? 'crash (SIGKILL at 40 % of arrivals, restart)' : 'steady',
      seconds,
      created: created.length,
      driver: counts,
      ...(restartedInMs !== undefined && { workerDownMs: restartedInMs }),
      figures: {
        ...figures,
        longestWaitSimulatedSeconds: Math.round((figures.longestWaitMs * settings.speedup) / 1000),
      },
      checks,
      violations: violations(checks, { errors }),
    };
  } finally {
    await worker.stop();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!adminUrl)
    throw new Error('bench:routing needs BENCH_DATABASE_URL (or DATABASE_URL), a PostgreSQL server');
  const runs = [];
  if (crashMode !== 'only') runs.push(await withDatabase(adminUrl, (url) => runDay(url, false)));
  if (crashMode !== 'skip') runs.push(await withDatabase(adminUrl, (url) => runDay(url, true)));
  const report = { settings, runs };
  console.log(JSON.stringify(report, null, 2));
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify(report, null, 2));
  if (runs.some((run) => run.violations.length > 0)) process.exitCode = 1;
}

await main();
