/**
 * Analytics benchmark: `npm run bench:analytics`.
 *
 * Loads BENCH_EVENTS (default 1,000,000) reporting events through the consumer's own write path
 * (`recordReportingEvents`: the events plus their hour and day aggregates) into a fresh database on
 * the PostgreSQL server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; the
 * database is created there and dropped afterwards). One large account holds BENCH_LARGE_SHARE
 * (default 0.4) of the events, 20 smaller ones the rest. Then BENCH_QUERIES (default 300) metric
 * queries mixing metrics, filters (none, one, two dimensions), presets and intervals in several time
 * zones run one at a time, first against the core, then as `POST /dixa/v1/analytics/metrics` over a
 * real socket. Reports p50/p99 latency (goal: p99 < 200 ms), spot-checks figures against the raw
 * events, and writes bench/results/analytics.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createTestApp, seedAccount } from '../../src/testing/app.js';
import { queryRows } from '../../src/platform/db/database.js';
import {
  metricCatalog,
  queryMetric,
  recordReportingEvents,
  resolvePeriod,
} from '../../src/core/analytics/index.js';
import { seedAgentRow } from '../../src/faces/dixa/analytics.test-kit.js';
import { benchQueues, conversationEvents, DAYS, type BenchAccount } from './generate-events.js';
import { randomQuery, type BenchQuery } from './queries.js';

const TOTAL = Number(process.env.BENCH_EVENTS ?? '1000000');
const QUERIES = Number(process.env.BENCH_QUERIES ?? '300');
const LARGE_SHARE = Number(process.env.BENCH_LARGE_SHARE ?? '0.4');
const SMALL_ACCOUNTS = 20;
const CHUNK = 5000;
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const resultsFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'results',
  'analytics.json',
);

interface Tenant extends BenchAccount {
  apiKey: string;
  agentUuids: string[];
  events: number;
}

const round = (value: number) => Math.round(value * 100) / 100;
function percentiles(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

const app = await createTestApp({ LOG_LEVEL: 'silent' });
const db = app.parley.ctx.db;
try {
  const tenants: Tenant[] = [];
  for (let index = 0; index <= SMALL_ACCOUNTS; index += 1) {
    const isLarge = index === 0;
    const { accountId, apiKey } = await seedAccount(app, `Bench ${index}`);
    const agents = [];
    for (let agent = 0; agent < (isLarge ? 40 : 8); agent += 1)
      agents.push(await seedAgentRow(db, accountId, `Agent ${agent}`));
    tenants.push({
      accountId,
      apiKey,
      agentIds: agents.map((agent) => agent.id),
      agentUuids: agents.map((agent) => agent.uuid),
      queues: benchQueues(isLarge ? 12 : 4, 1000 * (index + 1)),
      events: Math.round(isLarge ? TOTAL * LARGE_SHARE : (TOTAL * (1 - LARGE_SHARE)) / SMALL_ACCOUNTS),
    });
  }

  const now = new Date();
  const loadStarted = performance.now();
  let loaded = 0;
  let sourceId = 1;
  for (const [index, tenant] of tenants.entries()) {
    for (const chunk of conversationEvents(tenant, tenant.events, {
      chunkSize: CHUNK,
      seed: index + 1,
      firstSourceId: sourceId,
      now,
    })) {
      await db.transaction((tx) => recordReportingEvents(tx, chunk));
      loaded += chunk.length;
      sourceId += chunk.length;
    }
    process.stdout.write(
      `loaded ${loaded} events (${Math.round((performance.now() - loadStarted) / 1000)} s)\n`,
    );
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await db.execute(sql`ANALYZE reporting_events`);
  await db.execute(sql`ANALYZE reporting_aggregates`);
  const [sizes] = await queryRows<{ events: string; aggregates: string; aggregate_rows: string }>(
    db,
    sql`SELECT pg_size_pretty(pg_total_relation_size('reporting_events')) AS events,
               pg_size_pretty(pg_total_relation_size('reporting_aggregates')) AS aggregates,
               (SELECT count(*) FROM reporting_aggregates)::text AS aggregate_rows`,
  );

  const queries: BenchQuery[] = Array.from({ length: QUERIES }, (_, index) =>
    randomQuery(tenants, index + 7),
  );
  const runCore = async (query: BenchQuery) => {
    const started = performance.now();
    await queryMetric(db, {
      accountId: query.tenant.accountId,
      metricId: query.body.id,
      period: resolvePeriod(query.period, query.body.timezone),
      filters: query.body.filters,
    });
    return performance.now() - started;
  };
  for (const query of queries.slice(0, 20)) await runCore(query);
  const core: number[] = [];
  for (const query of queries) core.push(await runCore(query));
  const byShape = (pick: (query: BenchQuery) => string) => {
    const groups = new Map<string, number[]>();
    queries.forEach((query, index) =>
      groups.set(pick(query), [...(groups.get(pick(query)) ?? []), core[index] ?? 0]),
    );
    return Object.fromEntries(
      [...groups].map(([key, latencies]) => [key, { n: latencies.length, ...percentiles(latencies) }]),
    );
  };

  await app.parley.server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.parley.server.server.address() as AddressInfo;
  // The face's fixed cost (auth, access, rate limit, serialization): a catalog read, no data query.
  const baseline: number[] = [];
  for (const query of queries.slice(0, 100)) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/dixa/v1/analytics/metrics/${query.body.id}`, {
      headers: { authorization: query.tenant.apiKey },
    });
    await response.arrayBuffer();
    baseline.push(performance.now() - started);
  }
  const http: number[] = [];
  let httpErrors = 0;
  for (const query of queries) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/dixa/v1/analytics/metrics`, {
      method: 'POST',
      headers: { authorization: query.tenant.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(query.body),
    });
    await response.arrayBuffer();
    http.push(performance.now() - started);
    if (response.status !== 200) httpErrors += 1;
  }

  // Spot checks: the aggregates must agree with a count over the raw events.
  const mismatches: string[] = [];
  for (const query of queries.slice(0, 25)) {
    const metric = metricCatalog.find((entry) => entry.id === query.body.id)!;
    if (metric.value !== 'none' || query.body.filters.length > 0) continue;
    const period = resolvePeriod(query.period, query.body.timezone);
    const [raw] = await queryRows<{ count: string }>(
      db,
      sql`SELECT count(*)::text AS count FROM reporting_events WHERE account_id = ${query.tenant.accountId}
          AND type = ${metric.eventType} AND occurred_at >= ${period.start.toISOString()} AND occurred_at < ${period.end.toISOString()}`,
    );
    const [aggregate] = await queryMetric(db, {
      accountId: query.tenant.accountId,
      metricId: metric.id,
      period,
      filters: [],
    });
    if (Number(raw?.count) !== aggregate?.value)
      mismatches.push(`${metric.id}: raw ${raw?.count} vs ${aggregate?.value}`);
  }

  const results = {
    date: new Date().toISOString(),
    database: 'server',
    events: loaded,
    historyDays: DAYS,
    accounts: tenants.length,
    largeAccountEvents: tenants[0]?.events,
    load: { seconds: round(loadSeconds), eventsPerSecond: Math.round(loaded / loadSeconds), ...sizes },
    loadAverageAtEnd: loadavg().map(round),
    queries: QUERIES,
    coreLatencyMs: percentiles(core),
    coreLatencyByFilterDimensions: byShape((query) => String(query.body.filters.length)),
    coreLatencyByAccount: byShape((query) => (query.tenant === tenants[0] ? 'large' : 'small')),
    coreLatencyByPeriod: byShape((query) => ('preset' in query.period ? query.period.preset : 'interval')),
    httpCatalogBaselineMs: percentiles(baseline),
    httpLatencyMs: { ...percentiles(http), errors: httpErrors },
    spotCheckMismatches: mismatches,
    goal: 'p99 < 200 ms',
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await app.close();
}
