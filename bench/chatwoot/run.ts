/**
 * Chatwoot-face benchmark: `npm run bench:chatwoot`.
 *
 * Needs a PostgreSQL server: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/parley_bench).
 * The database is dropped and created, filled with one account holding 100,000 contacts, 200,000
 * conversations and 2,000,000 messages (BENCH_SCALE=0.1 for a tenth), then Parley listens on a
 * real port and autocannon drives each route. Each route's baseline replays the SQL that route
 * issued (captured from the driver during one request) straight through postgres.js at the same
 * concurrency, so the table shows what HTTP, auth and serialization add on top of the database;
 * "node ms/req" is the CPU time of Parley's thread per request (Linux), which other load on the
 * machine barely moves, unlike latencies.
 * BENCH_DURATION=<seconds per measurement> (default 10), BENCH_KEEP=1 keeps the database,
 * BENCH_ROUTES=<text> measures only the routes whose title contains it, BENCH_REUSE=1 measures the
 * database a previous run kept (BENCH_KEEP=1) instead of loading it again (for profiling one route).
 */
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as autocannon from 'autocannon';
import postgres from 'postgres';
import { createParley } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { createAccount } from '../../src/core/identity/accounts.js';
import { createApiKey } from '../../src/core/identity/api-keys.js';
import { openCapturingDatabase, type CapturedQuery } from './capture-database.js';
import { loadBenchData, type BenchScale, type LoadedData } from './load-data.js';
import type { Db } from '../../src/platform/db/database.js';
import { measureBaseline, type Measurement } from './baseline.js';
import { mainThreadCpuMs } from './main-thread-cpu.js';
import { connectServer, serverAddress } from '../../src/platform/db/server-address.js';

const CONNECTIONS = 10;
const WARM_UP_SECONDS = 3;
const benchUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/parley_bench';
const durationSeconds = Number(process.env.BENCH_DURATION ?? '10');
const scaleFactor = Number(process.env.BENCH_SCALE ?? '1');

interface Scenario {
  title: string;
  method: 'GET' | 'POST';
  paths: string[];
  body?: unknown;
}

function scenarios(accountId: number, data: LoadedData): Scenario[] {
  const base = `/chatwoot/api/v1/accounts/${accountId}`;
  return [
    {
      title: 'POST conversations/:id/messages',
      method: 'POST',
      paths: data.sampleDisplayIds.map((id) => `${base}/conversations/${id}/messages`),
      body: { content: 'Thanks, we are looking into it.', message_type: 'outgoing' },
    },
    { title: 'GET conversations (defaults, page 1)', method: 'GET', paths: [`${base}/conversations`] },
    { title: 'GET conversations?page=200', method: 'GET', paths: [`${base}/conversations?page=200`] },
    {
      title: 'POST conversations/filter (2 conditions)',
      method: 'POST',
      paths: [`${base}/conversations/filter`],
      body: {
        payload: [
          { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: 'and' },
          {
            attribute_key: 'inbox_id',
            filter_operator: 'equal_to',
            values: [data.inboxIds[0]],
            query_operator: null,
          },
        ],
      },
    },
    ...(['name', 'email', 'phone'] as const).map((field) => ({
      title: `GET contacts/search by ${field}`,
      method: 'GET' as const,
      paths: [`${base}/contacts/search?q=${encodeURIComponent(data.sample[field])}`],
    })),
  ];
}

/** The bench database's name, and a client on the server's `postgres` database. */
function admin() {
  const address = serverAddress(benchUrl);
  const target = new URL(address.url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${name}`);
  target.pathname = '/postgres';
  const sql = postgres(target.toString(), {
    ...(address.path !== undefined && { path: address.path }),
    max: 1,
    onnotice: () => undefined,
  });
  return { name, sql };
}

async function recreateDatabase(): Promise<void> {
  const { name, sql } = admin();
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await sql.end();
  }
}

async function dropDatabase(): Promise<void> {
  const { name, sql } = admin();
  await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => sql.end());
}

async function loadHttp(
  baseUrl: string,
  token: string,
  scenario: Scenario,
  seconds = durationSeconds,
): Promise<Measurement & { non2xx: number; cpuMsPerRequest: number | undefined }> {
  const { default: autocannon } = await import('autocannon');
  const cpuBefore = mainThreadCpuMs();
  const spread: autocannon.Request & { paths: string[] } = {
    paths: scenario.paths,
    setupRequest: fileURLToPath(new URL('next-path.cjs', import.meta.url)),
  };
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    workers: 1,
    duration: seconds,
    method: scenario.method,
    headers: { api_access_token: token, 'content-type': 'application/json' },
    ...(scenario.body !== undefined && { body: JSON.stringify(scenario.body) }),
    // Every request takes the next path of the list, so concurrent writes land on different
    // conversations as a real inbox's do (connections cycling the list in step would all write
    // to the same conversation at once).
    requests: [spread],
  });
  const cpuAfter = mainThreadCpuMs();
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    cpuMsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? undefined
        : Math.round(((cpuAfter - cpuBefore) / result.requests.total) * 100) / 100,
  };
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, index) => String(cell).padEnd(widths[index] ?? 10)).join(' ');
}

/** What a run with BENCH_KEEP=1 leaves for a run with BENCH_REUSE=1. */
interface KeptRun {
  accountId: number;
  token: string;
  data: LoadedData;
}
const keptRunFile = path.join(tmpdir(), 'parley-bench-chatwoot-kept.json');

async function loadDatabase(db: Db, scale: BenchScale): Promise<KeptRun> {
  await recreateDatabase();
  await migrate(db);
  const actor = { type: 'system', id: 'bench' } as const;
  const account = await createAccount(db, { name: 'Bench' }, actor);
  const { token } = await createApiKey(db, { accountId: account.id, name: 'bench' }, actor);
  const loader = connectServer(benchUrl, { max: 1, onnotice: () => undefined });
  const started = performance.now();
  process.stdout.write('Loading data\n');
  const data = await loadBenchData(loader, account.id, scale).finally(() => loader.end());
  process.stdout.write(`  total ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
  return { accountId: account.id, token, data };
}

async function main(): Promise<void> {
  const scale = {
    contacts: Math.round(100_000 * scaleFactor),
    conversations: Math.round(200_000 * scaleFactor),
    messagesPerConversation: 10,
    agents: 20,
    inboxes: 5,
    teams: 4,
  };
  process.stdout.write(`Chatwoot benchmark on ${benchUrl.replace(/\/\/[^@]*@/, '//')}\n`);
  const capturing = openCapturingDatabase(benchUrl, 20);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-chatwoot-'));
  const config = loadConfig(process.env, {
    DATABASE_URL: benchUrl,
    PARLEY_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PARLEY_RATE_LIMIT_MAX: Number.MAX_SAFE_INTEGER,
    // No relay or job worker: their background queries would pollute the captured SQL.
    PARLEY_WORKERS: false,
  });
  const { accountId, token, data } = process.env.BENCH_REUSE
    ? (JSON.parse(await readFile(keptRunFile, 'utf8')) as KeptRun)
    : await loadDatabase(capturing.database.db, scale);
  if (process.env.BENCH_KEEP) await writeFile(keptRunFile, JSON.stringify({ accountId, token, data }));

  const parley = await createParley({ config, database: capturing.database });
  try {
    // As on every node: LISTEN for real-time events and revocations (the API-key cache needs them).
    await parley.startBackground();
    await parley.server.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(parley.server.server.address() as AddressInfo).port}`;
    const widths = [42, 8, 9, 9, 10, 10, 9, 9, 8];
    process.stdout.write(
      `${row(['route', 'HTTP r/s', 'p50 ms', 'p99 ms', 'node ms/req', 'SQL r/s', 'p50 ms', 'p99 ms', 'stmts'], widths)}\n`,
    );
    const only = process.env.BENCH_ROUTES;
    for (const scenario of scenarios(accountId, data)) {
      if (only && !scenario.title.includes(only)) continue;
      const once = (requestPath: string) =>
        fetch(`${baseUrl}${requestPath}`, {
          method: scenario.method,
          headers: { api_access_token: token, 'content-type': 'application/json' },
          ...(scenario.body !== undefined && { body: JSON.stringify(scenario.body) }),
        });
      await once(scenario.paths[0] ?? '/'); // warm caches and prepared statements
      // One captured request per connection, on the paths the HTTP load's connections take.
      const captured: CapturedQuery[][] = [];
      let failed: number | null = null;
      for (let index = 0; index < CONNECTIONS && failed === null; index += 1) {
        capturing.startCapture();
        const probe = await once(scenario.paths[index % scenario.paths.length] ?? '/');
        captured.push(capturing.stopCapture());
        if (probe.status >= 300) failed = probe.status;
      }
      const queries = captured[0] ?? [];
      if (failed !== null) {
        process.stdout.write(`${row([scenario.title, `skipped: HTTP ${failed}`], widths)}\n`);
        continue;
      }
      // Unmeasured load first: the route's code is optimized by V8 and its pages are in PostgreSQL's cache
      // before the clock starts, so the first route measured is not penalized for going first.
      await loadHttp(baseUrl, token, scenario, WARM_UP_SECONDS);
      const http = await loadHttp(baseUrl, token, scenario);
      const sql = process.env.BENCH_NO_BASELINE
        ? { requestsPerSecond: 0, p50: 0, p99: 0 }
        : await measureBaseline(benchUrl, captured, { durationSeconds });
      const cells = [
        scenario.title,
        http.requestsPerSecond,
        http.p50,
        http.p99,
        http.cpuMsPerRequest ?? '-',
        sql.requestsPerSecond,
        sql.p50,
        sql.p99,
        queries.length,
      ];
      process.stdout.write(`${row(cells, widths)}${http.non2xx > 0 ? `  (${http.non2xx} non-2xx)` : ''}\n`);
      if (process.env.BENCH_SHOW_SQL) {
        for (const query of queries) process.stdout.write(`    ${query.text.replace(/\s+/g, ' ')}\n`);
      }
    }
  } finally {
    await parley.close();
    await capturing.database.close();
    await rm(dataDir, { recursive: true, force: true });
    if (!process.env.BENCH_KEEP) await dropDatabase();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
