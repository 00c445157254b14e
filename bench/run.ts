/**
 * Parley HTTP benchmark: `npm run bench` (BENCH_DURATION=<seconds>, default 10).
 *
 * Starts Parley in this process on a fresh embedded database (or on DATABASE_URL when set), then
 * drives an authenticated read and, for comparison, the same number of `GET /health` requests
 * with autocannon from a worker thread. Traffic goes to 127.0.0.1 only. Results are printed and
 * written to bench/results/latest.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParley } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { createAccount } from '../src/core/identity/accounts.js';
import { createApiKey } from '../src/core/identity/api-keys.js';

const CONNECTIONS = 10;
const durationSeconds = Number(process.env.BENCH_DURATION ?? '10');
if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 600) {
  throw new Error('BENCH_DURATION must be a whole number of seconds between 1 and 600');
}
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');

interface LoadResult {
  route: string;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

async function load(
  title: string,
  url: string,
  options: { headers?: Record<string, string>; amount?: number },
) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    title,
    url,
    connections: CONNECTIONS,
    // A worker thread generates the load, so it does not share the server's event loop.
    workers: 1,
    ...(options.amount === undefined ? { duration: durationSeconds } : { amount: options.amount }),
    headers: options.headers ?? {},
  });
  const summary: LoadResult = {
    route: title,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
  if (summary.non2xx > 0 || summary.errors > 0) {
    process.stderr.write(`warning: ${title}: ${summary.non2xx} non-2xx answers, ${summary.errors} errors\n`);
  }
  return summary;
}

async function waitUntilReady(baseUrl: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${baseUrl}/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function format(result: LoadResult): string {
  const rate = `${result.requestsPerSecond} req/s`.padStart(12);
  const { p50, p99 } = result.latencyMs;
  return `${result.route.padEnd(44)}${rate}   p50 ${p50} ms   p99 ${p99} ms   (${result.requests} requests)`;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
  const config = loadConfig(process.env, {
    PARLEY_DATA_DIR: dataDir,
    PORT: 0,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // The benchmark measures the request path, not the limiter: one token sends thousands a second.
    PARLEY_RATE_LIMIT_MAX: Number.MAX_SAFE_INTEGER,
  });
  const startedAt = performance.now();
  const parley = await createParley({ config });
  try {
    await parley.startBackground();
    await parley.server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = parley.server.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitUntilReady(baseUrl);
    const startupMs = Math.round(performance.now() - startedAt);

    const actor = { type: 'system', id: 'bench' } as const;
    const account = await createAccount(parley.ctx.db, { name: 'Bench' }, actor);
    const { token } = await createApiKey(parley.ctx.db, { accountId: account.id, name: 'bench' }, actor);

    // Idle memory, before any load: give start-up garbage a moment to settle.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssMb = Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;

    process.stdout.write(
      `Parley benchmark: ${parley.ctx.database.kind} database, ${CONNECTIONS} connections, ${durationSeconds} s\n`,
    );
    const authenticated = await load(
      'GET /api/v1/accounts/:id (API key)',
      `${baseUrl}/api/v1/accounts/${account.id}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const health = await load('GET /health', `${baseUrl}/health`, { amount: authenticated.requests });

    process.stdout.write(`  start-up to ready   ${startupMs} ms\n`);
    process.stdout.write(`  RSS at idle         ${rssMb} MB\n`);
    process.stdout.write(`  ${format(authenticated)}\n  ${format(health)}\n`);

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: availableParallelism(),
      database: parley.ctx.database.kind,
      connections: CONNECTIONS,
      durationSeconds,
      startupMs,
      rssIdleMb: rssMb,
      results: [authenticated, health],
    };
    await mkdir(path.dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`  results written to ${path.relative(process.cwd(), resultsFile)}\n`);
  } finally {
    await parley.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Bounded: whatever happens, the benchmark ends.
const watchdog = setTimeout(
  () => {
    process.stderr.write('error: the benchmark did not finish in time\n');
    process.exit(1);
  },
  (durationSeconds * 3 + 120) * 1000,
);
watchdog.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
