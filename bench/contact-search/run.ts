/**
 * Contact search bench: `npm run bench:contact-search` (BENCH_CONTACTS, default 1,000,000;
 * BENCH_RUNS per filter, default 30). On the real PostgreSQL at DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) it creates a fresh database, seeds one campaign, then
 * times the seed's filters through `searchContacts()` (page + capped count + relations) and,
 * beside it, the same SQL sent straight through the driver. Goal: p99 < 100 ms. Drops the database,
 * unless BENCH_KEEP_DB=1 (its name is printed); BENCH_DB=<name> measures a kept database again
 * without seeding (for EXPLAIN work on a full-size campaign), BENCH_ONLY=<substring> runs the
 * filters whose name contains it.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { openDatabase, type Db } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import type { ContactFilter } from '../../src/core/campaigns/contact-filter.js';
import {
  searchContacts,
  searchContactsByDate,
  searchContactsByPhone,
  searchQueries,
} from '../../src/core/campaigns/contact-search.js';
import { planBlankFields } from '../../src/core/campaigns/contact-search-shapes.js';
import { benchPhone, loadSeeded, seedSearch, type SeededSearch } from './seed.js';

const GOAL_P99_MS = 100;
const contactCount = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const keptDb = process.env.BENCH_DB;
const keepDb = process.env.BENCH_KEEP_DB === '1' || keptDb !== undefined;
const only = process.env.BENCH_ONLY;

interface Scenario {
  name: string;
  filter: ContactFilter;
  page?: number;
  pageSize?: number;
}

const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

function scenarios(seeded: SeededSearch): Scenario[] {
  const now = Date.now();
  const agent = seededAgent(seeded);
  const cf = (customFieldName: string, condition: string, value: string | null) =>
    ({ customFieldConditions: [{ customFieldName, condition, value }] }) as ContactFilter;
  return [
    { name: 'no filter', filter: {} },
    {
      name: 'seed example: phones + Categorie eq',
      filter: { phones: [benchPhone(1, 123_457)], ...cf('Categorie', 'eq', 'Silver') },
      pageSize: 100,
    },
    { name: 'custom field eq (25%)', filter: cf('Categorie', 'eq', 'Gold') },
    { name: 'custom field eq (0.01%)', filter: cf('Categorie', 'eq', 'Diamond') },
    { name: 'custom field eq null', filter: cf('Categorie', 'eq', null) },
    { name: 'custom field notEq', filter: cf('Categorie', 'notEq', 'Gold') },
    { name: 'custom field lt (number)', filter: cf('Score', 'lt', '5') },
    { name: 'custom field startsWith', filter: cf('City', 'startsWith', 'Ly') },
    { name: 'custom field contains', filter: cf('City', 'contains', 'rse') },
    { name: 'custom field like', filter: cf('First_Name', 'like', 'name12345%') },
    { name: 'phones (3 numbers)', filter: { phones: [1, 500_000, 999_999].map((g) => benchPhone(1, g)) } },
    {
      name: 'contactIds (100)',
      filter: { contactIds: Array.from({ length: 100 }, (_, i) => 1 + i * 9_999) },
    },
    { name: 'wrapupStatuses', filter: { wrapupStatuses: ['arguedpositive', 'tocall'] } },
    { name: 'wrapupStatuses new_contact', filter: { wrapupStatuses: ['new_contact'] } },
    { name: 'wrapupStatuses canceled', filter: { wrapupStatuses: ['canceled'] } },
    { name: 'agentIds', filter: { agentIds: [agent] } },
    { name: 'agentIds [null]', filter: { agentIds: [null] } },
    { name: 'lastAgentIds', filter: { lastAgentIds: [agent] } },
    { name: 'assignedAgentIds', filter: { assignedAgentIds: [agent] } },
    { name: 'assignedGroupIds', filter: { assignedGroupIds: [seeded.teamId] } },
    { name: 'lastWrapupIds', filter: { lastWrapupIds: [seeded.wrapupIds[0]!] } },
    { name: 'excluded', filter: { excluded: true } },
    { name: 'excludedCause bloctel', filter: { excludedCause: 'bloctel' } },
    { name: 'priorities 15..20', filter: { minPriority: 15, maxPriority: 20 } },
    { name: 'tries >= 5', filter: { minTries: 5 } },
    { name: 'retry in one day', filter: { retryAfter: iso(now + day), retryBefore: iso(now + 2 * day) } },
    { name: 'retryIsNull', filter: { retryIsNull: true } },
    { name: 'lastCall in 7 days', filter: { lastCallAfter: iso(now - 7 * day) } },
    {
      name: 'updated in one day',
      filter: { updateAfter: iso(now - 50 * day), updateBefore: iso(now - 49 * day) },
    },
    { name: 'created before', filter: { createdBefore: iso(now - 99 * day) } },
    { name: 'lastCallerType', filter: { lastCallerType: 'agent' } },
    { name: 'regions', filter: { regions: [3] } },
    {
      name: 'combined: Gold + tocall + tries<=3 + not excluded',
      filter: { ...cf('Categorie', 'eq', 'Gold'), wrapupStatuses: ['tocall'], maxTries: 3, excluded: false },
    },
    { name: 'page 100 x 100, no filter', filter: {}, page: 100, pageSize: 100 },
    { name: 'pageSize 500, Gold', filter: cf('Categorie', 'eq', 'Gold'), pageSize: 500 },
  ];
}

function seededAgent(seeded: SeededSearch): number {
  return seeded.agentIds[7]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timeIt(work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 2; i += 1) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const dialect = new PgDialect();

async function measure(db: Db, client: postgres.Sql, seeded: SeededSearch) {
  const rows: {
    name: string;
    total: number;
    api: { p50: number; p99: number };
    driver: { p50: number; p99: number };
  }[] = [];
  for (const scenario of scenarios(seeded)) {
    if (only !== undefined && !scenario.name.includes(only)) continue;
    const params = {
      campaign: seeded.campaign,
      filter: scenario.filter,
      page: scenario.page ?? 0,
      pageSize: scenario.pageSize ?? 10,
    };
    const result = await searchContacts(db, params);
    const api = await timeIt(() => searchContacts(db, params));
    // The statements searchContacts sends, blank-field conditions resolved into shapes as it does.
    const blank = await planBlankFields(db, params.campaign, params.filter);
    const shapes =
      blank.kind === 'empty' ? sql`false` : blank.kind === 'shapes' ? blank.condition : undefined;
    const { pageQuery, countQuery } = searchQueries(db, { ...params, shapes });
    const page = pageQuery.toSQL();
    const count = dialect.sqlToQuery(countQuery);
    const driver = await timeIt(async () => {
      const fetched = await client.unsafe(page.sql, page.params as never[]);
      if (fetched.length > params.pageSize) await client.unsafe(count.sql, count.params as never[]);
    });
    rows.push({ name: scenario.name, total: result.totalElements, api, driver });
  }
  if (only !== undefined) return rows;
  const phones = [1, 2, 3].map((g) => benchPhone(1, g * 1000)).concat(benchPhone(2, 1000));
  rows.push({
    name: 'by-phone (4 numbers, 2 campaigns)',
    total: NaN,
    api: await timeIt(() =>
      searchContactsByPhone(db, { accountId: seeded.campaign.accountId, phones, limit: 100 }),
    ),
    driver: { p50: NaN, p99: NaN },
  });
  rows.push({
    name: 'by-date (500, mid-range)',
    total: NaN,
    api: await timeIt(() =>
      searchContactsByDate(db, {
        campaign: seeded.campaign,
        fromDate: iso(Date.now() - 50 * day),
        limit: 500,
      }),
    ),
    driver: { p50: NaN, p99: NaN },
  });
  return rows;
}

async function main(): Promise<void> {
  const started = performance.now();
  const name = keptDb ?? `parley_bench_contacts_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  if (keptDb === undefined) await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  const client = postgres(url.toString(), { max: 1, onnotice: () => undefined });
  // The types drizzle's driver sets up (json sent as given, dates as text), so the raw SQL is the same.
  drizzle(client);
  try {
    await migrate(database.db);
    const seedStarted = performance.now();
    const seeded = keptDb ? await loadSeeded(database.db) : await seedSearch(database.db, contactCount);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    if (keptDb === undefined)
      console.log(
        `seeded ${contactCount.toLocaleString('en')} campaign contacts in ${seedSeconds.toFixed(1)} s`,
      );
    const rows = await measure(database.db, client, seeded);
    const fmt = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(1));
    console.log(
      `\n${'filter'.padEnd(52)} ${'total'.padStart(9)}  searchContacts p50/p99 ms   driver p50/p99 ms`,
    );
    for (const row of rows) {
      const total = Number.isNaN(row.total) ? '-' : String(row.total);
      console.log(
        `${row.name.padEnd(52)} ${total.padStart(9)}  ${fmt(row.api.p50).padStart(8)} / ${fmt(row.api.p99).padEnd(8)}      ${fmt(row.driver.p50).padStart(7)} / ${fmt(row.driver.p99)}`,
      );
    }
    const worst = rows.reduce((max, row) => Math.max(max, row.api.p99), 0);
    const failing = rows.filter((row) => row.api.p99 >= GOAL_P99_MS).map((row) => row.name);
    console.log(
      `\nworst p99 ${worst.toFixed(1)} ms; goal p99 < ${GOAL_P99_MS} ms: ${failing.length === 0 ? 'MET' : `NOT MET for ${failing.join(', ')}`}`,
    );
    console.log(`total run ${((performance.now() - started) / 1000).toFixed(0)} s`);
    if (failing.length > 0) process.exitCode = 1;
  } finally {
    await client.end({ timeout: 5 });
    await database.close();
    if (keepDb) console.log(`kept database ${name}`);
    else await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
