/**
 * Chatwoot reports benchmark: `npm run bench:reports`.
 *
 * On the PostgreSQL server at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres;
 * a fresh database is created there and dropped afterwards), seeds one account with BENCH_MESSAGES
 * (default 2,000,000) messages over BENCH_DAYS (default 180) days in set-based SQL, with the reporting
 * events and counters the consumer would have written (see seed.ts: the counters are aggregated
 * from the rows in SQL with the consumer's rules, not by replaying the outbox). Then times each
 * report over HTTP on a real socket, BENCH_ITERATIONS (default 30) calls per report over ranges of
 * 7, 30 and 180 days, reports p50/p99 (target < 1 s), spot-checks two figures against the raw rows,
 * and writes bench/results/reports.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { createTestApp, seedAccount } from '../../src/testing/app.js';
import { queryRows } from '../../src/platform/db/database.js';
import { seedHistory, type Seeded } from './seed.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? '2000000');
const DAYS = Number(process.env.BENCH_DAYS ?? '180');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? '30');
process.env.TEST_DATABASE_URL ??=
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'reports.json');

const round = (value: number) => Math.round(value * 100) / 100;
function percentiles(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (share: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0);
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

/** The reports to time, each a path builder over a range (unix seconds) and the iteration number. */
function reports(seeded: Seeded): Record<string, (range: string, index: number) => string> {
  const pick = <T>(values: T[], index: number) => values[index % values.length] as T;
  const metrics = [
    'conversations_count',
    'incoming_messages_count',
    'outgoing_messages_count',
    'avg_first_response_time',
    'avg_resolution_time',
    'resolutions_count',
    'reply_time',
  ];
  const scopes = [
    'type=account',
    `type=agent&id=${seeded.agentIds[0]}`,
    `type=inbox&id=${seeded.inboxIds[0]}`,
    `type=team&id=${seeded.teamIds[0]}`,
    `type=label&id=${seeded.labelIds[0]}`,
  ];
  const groups = ['day', 'week', 'month'];
  return {
    timeseries: (range, i) =>
      `reports?metric=${pick(metrics, i)}&${pick(scopes, i)}&group_by=${pick(groups, i)}&timezone_offset=5.5&${range}`,
    summary: (range, i) => `reports/summary?${pick(scopes, i)}&${range}`,
    'conversations (account)': () => 'reports/conversations?type=account',
    'conversations/ (agent)': () => 'reports/conversations/?type=agent',
    'summary_reports/channel': (range) => `summary_reports/channel?${range}`,
    'summary_reports/inbox': (range) => `summary_reports/inbox?${range}`,
    'summary_reports/agent': (range) => `summary_reports/agent?${range}`,
    'summary_reports/team': (range) => `summary_reports/team?${range}`,
    first_response_time_distribution: (range) => `reports/first_response_time_distribution?${range}`,
    inbox_label_matrix: (range) => `reports/inbox_label_matrix?${range}`,
    outgoing_messages_count: (range, i) =>
      `reports/outgoing_messages_count?group_by=${pick(['agent', 'team', 'inbox', 'label'], i)}&${range}`,
  };
}

const app = await createTestApp({ LOG_LEVEL: 'silent' });
const db = app.parley.ctx.db;
try {
  const { accountId, apiKey } = await seedAccount(app, 'Reports bench');
  const seedStarted = performance.now();
  const seeded = await seedHistory(db, accountId, {
    messages: MESSAGES,
    messagesPerConversation: 10,
    days: DAYS,
  });
  const seedSeconds = round((performance.now() - seedStarted) / 1000);
  const [counts] = await queryRows<Record<string, string>>(
    db,
    sql`SELECT (SELECT count(*) FROM messages)::text AS messages, (SELECT count(*) FROM conversations)::text AS conversations,
        (SELECT count(*) FROM reporting_events)::text AS reporting_events,
        (SELECT count(*) FROM reporting_counters)::text AS counter_rows,
        (SELECT count(*) FROM reporting_counter_days)::text AS counter_day_rows,
        pg_size_pretty(pg_total_relation_size('reporting_counters')) AS counters_size`,
  );
  process.stdout.write(`seeded in ${seedSeconds} s: ${JSON.stringify(counts)}\n`);

  await app.parley.server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.parley.server.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/chatwoot/api/v2/accounts/${accountId}/`;
  const fetchJson = async (url: string) => {
    const response = await fetch(url, { headers: { api_access_token: apiKey } });
    const body: unknown = await response.json();
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };

  const now = Math.floor(Date.now() / 1000);
  const ranges = [7, 30, DAYS].map((days) => `since=${now - days * 86_400}&until=${now}`);
  const results: Record<string, ReturnType<typeof percentiles>> = {};
  for (const [name, build] of Object.entries(reports(seeded))) {
    await fetchJson(base + build(ranges[0] ?? '', 0));
    const latencies: number[] = [];
    for (let index = 0; index < ITERATIONS; index += 1) {
      const url = base + build(ranges[index % ranges.length] ?? '', index);
      const started = performance.now();
      await fetchJson(url);
      latencies.push(performance.now() - started);
    }
    results[name] = percentiles(latencies);
    process.stdout.write(`${name.padEnd(36)} ${JSON.stringify(results[name])}\n`);
  }

  // Spot checks: the pre-aggregated figures against counts of the raw rows.
  // Replies and resolutions of the newest conversations land up to 2.5 days after now.
  const whole = `since=${now - DAYS * 86_400 - 86_400}&until=${now + 4 * 86_400}`;
  const summary = (await fetchJson(`${base}reports/summary?type=account&${whole}`)) as Record<string, number>;
  const [raw] = await queryRows<{ outgoing: string; resolved: string }>(
    db,
    sql`SELECT (SELECT count(*) FROM messages WHERE account_id = ${accountId}::bigint AND message_type = 'outgoing')::text AS outgoing,
        (SELECT count(*) FROM conversations WHERE account_id = ${accountId}::bigint AND status = 'resolved')::text AS resolved`,
  );
  const checks = {
    outgoing_messages_count: { report: summary.outgoing_messages_count, raw: Number(raw?.outgoing) },
    resolutions_count: { report: summary.resolutions_count, raw: Number(raw?.resolved) },
  };
  const worstP99 = Math.max(...Object.values(results).map((result) => result.p99));
  const output = {
    command: 'npm run bench:reports',
    at: new Date().toISOString(),
    machine: { loadavg: loadavg().map(round) },
    scale: { messages: MESSAGES, days: DAYS, iterations: ITERATIONS, ...counts },
    seedSeconds,
    httpLatencyMs: results,
    worstP99Ms: worstP99,
    targetMs: 1000,
    meetsTarget: worstP99 < 1000,
    checks,
  };
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`worst p99 ${worstP99} ms; checks ${JSON.stringify(checks)}\nwrote ${resultsFile}\n`);
  for (const [name, check] of Object.entries(checks)) {
    if (check.report !== check.raw) throw new Error(`${name}: report ${check.report} != raw ${check.raw}`);
  }
} finally {
  await app.close();
}
