/**
 * CALLR face bench: `npm run bench:callr`.
 *
 * On the PostgreSQL server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres;
 * the bench creates its own database there and drops it afterwards), Parley runs in-process on a
 * real loopback port. It seeds BENCH_CDRS (default 1,000,000) call detail records, then measures:
 * - `cdr.get` over JSON-RPC: one at a time (p50/p99) beside the same SQL sent through postgres.js,
 *   and under load with autocannon (requests/s, p50/p99);
 * - webhook fan-out: an `sms.mt.status_update` subscription to a local receiver while SMS go
 *   through `sms.send` and the SMS simulator until BENCH_STATUS_UPDATES (default 10,000) status
 *   updates are produced; events/s from the first send to the last arrival, lost and duplicates;
 * - `sms.send` over JSON-RPC: one at a time beside the core `sendSms()` (its one transaction,
 *   without HTTP), and under load.
 * Writes bench/results/callr.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import { createTestApp, seedAccount } from '../../src/testing/app.js';
import { queryRows } from '../../src/platform/db/database.js';
import { listCdrs } from '../../src/core/telephony/start-calls.js';
import { sendSms } from '../../src/core/sms/send-sms.js';
import { startWebhookReceiver } from '../../src/testing/webhook-receiver.js';
import { CALLR_RPC_PATH } from '../../src/faces/callr/index.js';
import { benchNumber, CDR_SPACING_SECONDS, seedCdrs } from './seed-cdrs.js';

const CDRS = Number(process.env.BENCH_CDRS ?? 1_000_000);
const STATUS_UPDATES = Number(process.env.BENCH_STATUS_UPDATES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CONNECTIONS = 10;
/** How long the fan-out may take to settle; raise it on a loaded machine. */
const FAN_OUT_TIMEOUT_MS = Number(process.env.BENCH_FAN_OUT_TIMEOUT_MS ?? 600_000);
process.env.TEST_DATABASE_URL ??=
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'callr.json');

const round = (value: number) => Math.round(value * 100) / 100;
function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (share: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)] ?? 0);
  return { p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

async function timeEach<T>(inputs: T[], work: (input: T) => Promise<unknown>) {
  for (const input of inputs.slice(0, 10)) await work(input);
  const samples: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await work(input);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const callrDate = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');
const rpcBody = (method: string, params: unknown[], id = 1) =>
  JSON.stringify({ id, jsonrpc: '2.0', method, params });

async function underLoad(title: string, url: string, apiKey: string, bodies: string[]) {
  const result = await autocannon({
    title,
    url,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    // A worker thread makes the load, so it does not share Parley's event loop.
    workers: 1,
    requests: bodies.map((body) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json-rpc', authorization: `Api-Key ${apiKey}` },
      body,
    })),
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const started = performance.now();
const app = await createTestApp({
  LOG_LEVEL: 'silent',
  PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'],
  PARLEY_RATE_LIMIT_MAX: 100_000_000,
});
const db = app.parley.ctx.db;
const client = postgres(app.testDb.url ?? '', { max: 1, onnotice: () => undefined });
// The types drizzle's driver sets up (dates as text), so the raw SQL is sent the same way.
drizzle(client);
const receiver = await startWebhookReceiver();
try {
  await app.parley.server.listen({ host: '127.0.0.1', port: 0 });
  // The job workers and the event relay: SMS submission, the simulator's reports, webhook deliveries.
  await app.parley.startBackground();
  const { port } = app.parley.server.server.address() as AddressInfo;
  const rpcUrl = `http://127.0.0.1:${port}${CALLR_RPC_PATH}`;
  const post = async (apiKey: string, method: string, params: unknown[]) => {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json-rpc', authorization: `Api-Key ${apiKey}` },
      body: rpcBody(method, params),
    });
    const answer = (await response.json()) as { result?: unknown; error?: { message: string } };
    if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
    return answer.result;
  };
  const cdrAccount = await seedAccount(app, 'Bench CDRs');
  const fanOutAccount = await seedAccount(app, 'Bench fan-out');
  const smsAccount = await seedAccount(app, 'Bench SMS');

  // ---- cdr.get over 1,000,000 CDRs ----
  const seedStarted = performance.now();
  const firstStartedAt = new Date(Date.now() - CDRS * CDR_SPACING_SECONDS * 1000 - 86_400_000);
  await seedCdrs(db, cdrAccount.accountId, CDRS, firstStartedAt);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  process.stdout.write(`seeded ${CDRS} CDRs in ${seedSeconds.toFixed(1)} s\n`);
  const spanMs = CDRS * CDR_SPACING_SECONDS * 1000;
  const windows = Array.from({ length: RUNS }, (_, index) => {
    const from = new Date(firstStartedAt.getTime() + ((index * 7919) % 997) * (spanMs / 1000));
    return { from: callrDate(from), to: callrDate(new Date(from.getTime() + 3_600_000)), index };
  });
  const hourParams = (window: (typeof windows)[number]) => ['OUT', window.from, window.to, null, null];
  const dayWithNumberParams = (window: (typeof windows)[number]) => [
    'OUT',
    window.from,
    callrDate(new Date(Date.parse(`${window.from}Z`) + 86_400_000)),
    null,
    benchNumber(window.index * 31 + 1),
  ];
  const cdrQuery = (params: unknown[]) => {
    const [direction, from, to, , number] = params as ['IN' | 'OUT', string, string, null, string | null];
    return {
      accountId: cdrAccount.accountId,
      direction,
      from: new Date(`${from}Z`),
      to: new Date(`${to}Z`),
      number,
    };
  };
  // listCdrs answers drizzle's lazy builder: its SQL is what the method sends.
  const cdrSql = (params: unknown[]) =>
    (listCdrs(db, cdrQuery(params)) as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  const hourRows = ((await post(cdrAccount.apiKey, 'cdr.get', hourParams(windows[0]!))) as unknown[]).length;
  const firstHour = cdrSql(hourParams(windows[0]!));
  const plan = await client.unsafe<{ 'QUERY PLAN': string }[]>(
    `EXPLAIN ${firstHour.sql}`,
    firstHour.params as never[],
  );
  const cdrGet = {
    rowsPerHour: hourRows,
    plan: plan.map((line) => line['QUERY PLAN']),
    hourHttp: await timeEach(windows, (window) => post(cdrAccount.apiKey, 'cdr.get', hourParams(window))),
    hourDriver: await timeEach(windows, (window) => {
      const query = cdrSql(hourParams(window));
      return client.unsafe(query.sql, query.params as never[]);
    }),
    dayWithNumberHttp: await timeEach(windows, (window) =>
      post(cdrAccount.apiKey, 'cdr.get', dayWithNumberParams(window)),
    ),
    dayWithNumberDriver: await timeEach(windows, (window) => {
      const query = cdrSql(dayWithNumberParams(window));
      return client.unsafe(query.sql, query.params as never[]);
    }),
    hourUnderLoad: await underLoad(
      'cdr.get',
      rpcUrl,
      cdrAccount.apiKey,
      windows.slice(0, 50).map((window) => rpcBody('cdr.get', hourParams(window))),
    ),
  };
  process.stdout.write(`cdr.get: ${JSON.stringify(cdrGet)}\n`);

  // ---- webhook fan-out of SMS status updates ----
  await post(fanOutAccount.apiKey, 'webhooks.subscribe', [
    'sms.mt.status_update',
    receiver.url('/sms'),
    null,
  ]);
  const statusUpdates = async () => {
    const [row] = await queryRows<{ count: string }>(
      db,
      sql`SELECT count(*)::text AS count FROM events
          WHERE account_id = ${fanOutAccount.accountId} AND type = 'sms.status_changed'`,
    );
    return Number(row?.count ?? 0);
  };
  const fanOutStarted = performance.now();
  // One probe SMS tells how many status updates one SMS makes through the simulator.
  await post(fanOutAccount.apiKey, 'sms.send', ['SMS', '+33612345678', 'Probe', null]);
  const settled = async () => {
    const [row] = await queryRows<{ open: string }>(
      db,
      sql`SELECT count(*)::text AS open FROM sms_messages
          WHERE account_id = ${fanOutAccount.accountId} AND status NOT IN ('RECEIVED', 'FAILED', 'EXPIRED', 'ERROR')`,
    );
    return Number(row?.open ?? 1) === 0;
  };
  while (!(await settled())) await sleep(50);
  const perSms = await statusUpdates();
  const smsCount = Math.ceil((STATUS_UPDATES - perSms) / perSms);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < smsCount) {
        next += 1;
        await post(fanOutAccount.apiKey, 'sms.send', ['SMS', benchNumber(next + 10), `Status ${next}`, null]);
      }
    }),
  );
  const sentSeconds = (performance.now() - fanOutStarted) / 1000;
  const unique = () => new Set(receiver.received.map((entry) => JSON.parse(entry.body).event_id)).size;
  let produced = await statusUpdates();
  const deadline = performance.now() + FAN_OUT_TIMEOUT_MS;
  let lastArrivalMs = performance.now();
  let seen = 0;
  while (performance.now() < deadline) {
    if (receiver.received.length !== seen) {
      seen = receiver.received.length;
      lastArrivalMs = performance.now();
    }
    produced = await statusUpdates();
    if ((await settled()) && unique() >= produced) break;
    await sleep(100);
  }
  const fanOutSeconds = (lastArrivalMs - fanOutStarted) / 1000;
  const fanOut = {
    sms: smsCount + 1,
    statusUpdatesPerSms: perSms,
    produced,
    arrived: receiver.received.length,
    unique: unique(),
    lost: produced - unique(),
    duplicates: receiver.received.length - unique(),
    smsSentSeconds: round(sentSeconds),
    seconds: round(fanOutSeconds),
    eventsPerSecond: Math.round(unique() / fanOutSeconds),
  };
  process.stdout.write(`fan-out: ${JSON.stringify(fanOut)}\n`);

  // ---- sms.send ----
  const recipients = Array.from({ length: RUNS }, (_, index) => benchNumber(200_000 + index));
  const smsSend = {
    http: await timeEach(recipients, (to) => post(smsAccount.apiKey, 'sms.send', ['SMS', to, 'Hello', null])),
    core: await timeEach(recipients, (to) =>
      sendSms(db, {
        accountId: smsAccount.accountId,
        from: 'SMS',
        to,
        text: 'Hello',
        actor: { type: 'system' },
      }),
    ),
    underLoad: await underLoad(
      'sms.send',
      rpcUrl,
      smsAccount.apiKey,
      recipients.slice(0, 50).map((to) => rpcBody('sms.send', ['SMS', to, 'Hello under load', null])),
    ),
  };
  process.stdout.write(`sms.send: ${JSON.stringify(smsSend)}\n`);

  const results = {
    date: new Date().toISOString(),
    database: 'server',
    cdrs: CDRS,
    seedSeconds: round(seedSeconds),
    cdrGet,
    fanOut,
    smsSend,
    loadAverageAtEnd: loadavg().map(round),
    totalSeconds: Math.round((performance.now() - started) / 1000),
  };
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (fanOut.lost > 0) process.exitCode = 1;
} finally {
  await receiver.close();
  await client.end({ timeout: 5 });
  await app.close();
}
