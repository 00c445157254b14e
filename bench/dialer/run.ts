/**
 * Dialer benchmark: `npm run bench:dialer`.
 *
 * A simulated working day per dialing mode, on the real PostgreSQL, driving the dialer engine
 * itself (its tick and its carrier-event handler) against the seeded carrier simulator on a
 * virtual clock, so 8 hours run in minutes: per mode, a fresh account with 50 agents and a
 * campaign of 100,000 contacts (answer rate 30%), windows Monday–Friday 09:00–17:00 Europe/Paris.
 * Agents log in at 08:55, talk until the called party hangs up and wrap up after a drawn time.
 *
 * Reports per mode: agent talk minutes per hour, abandonment rate, calls per hour, idle time; and
 * audits compliance from `dialer_attempts` / `dialer_decisions` afterwards: no call outside the
 * windows, none within 72 hours of the previous (unless a callback), none to the do-not-call list.
 * Exits non-zero when a rule is broken, predictive abandons over 3%, or predictive does not beat
 * progressive on talk time.
 *
 * Knobs: BENCH_DIALER_AGENTS (50), BENCH_DIALER_CONTACTS (100000), BENCH_DIALER_HOURS (8),
 * BENCH_DIALER_MODES (progressive,predictive,automatic,amd_progressive,preview), BENCH_DIALER_SEED
 * (42), BENCH_DIALER_TICK_MS (1000). DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test):
 * a database is created per run and dropped afterwards (BENCH_DIALER_KEEP_DB=1 keeps it).
 * Results go to stdout and bench/results/dialer.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { dialingModes, type DialingMode } from '../../src/core/campaigns/campaigns.tables.js';
import { driveDay } from './drive.js';
import { runModelBench } from './model.js';
import { seedCampaign } from './seed.js';
import { audit, measure, type Compliance, type ModeFigures } from './verdict.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? String(fallback));
const settings = {
  agents: env('BENCH_DIALER_AGENTS', 50),
  contacts: env('BENCH_DIALER_CONTACTS', 100_000),
  hours: env('BENCH_DIALER_HOURS', 8),
  seed: env('BENCH_DIALER_SEED', 42),
  tickMs: env('BENCH_DIALER_TICK_MS', 1_000),
  heartbeatMs: env('BENCH_DIALER_HEARTBEAT_MS', 5_000),
  /** Do-not-call numbers per campaign (default 1% of the contacts). */
  doNotCall: process.env.BENCH_DIALER_DNC === undefined ? undefined : Number(process.env.BENCH_DIALER_DNC),
  modes: (process.env.BENCH_DIALER_MODES ?? dialingModes.join(','))
    .split(',')
    .map((mode) => mode.trim())
    .filter((mode): mode is DialingMode => (dialingModes as readonly string[]).includes(mode)),
};
if (settings.contacts > 999_999 || settings.hours <= 0 || settings.hours > 8 || settings.agents < 1) {
  throw new Error(
    'BENCH_DIALER_CONTACTS ≤ 999999, 0 < BENCH_DIALER_HOURS ≤ 8 (the window), BENCH_DIALER_AGENTS ≥ 1',
  );
}
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'dialer.json');
/** Tuesday 6 January 2026, 09:00 in Paris (UTC+1): the window opens. */
const OPEN_AT = new Date('2026-01-06T08:00:00Z');

interface ModeReport {
  mode: DialingMode;
  figures: ModeFigures;
  compliance: Compliance;
  ticks: number;
  wrapUps: number;
  carrier: { placed: number; maxLive: number; machinesDetected: number; handlerErrors: number };
  engineErrors: string[];
  realSeconds: number;
}

async function withDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const name = `parley_dialer_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    if (process.env.BENCH_DIALER_KEEP_DB !== '1')
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    else process.stdout.write(`kept database ${name}\n`);
    await admin.end();
  }
}

async function runMode(url: string, mode: DialingMode, slot: number): Promise<ModeReport> {
  const database = await openDatabase({ url, poolSize: 10 });
  try {
    const closeAt = new Date(OPEN_AT.getTime() + settings.hours * 3_600_000);
    const seeded = await seedCampaign(database.db, {
      mode,
      slot,
      agents: settings.agents,
      contacts: settings.contacts,
      dayStart: OPEN_AT,
      // The window closes when the simulated day ends: 17:00 for 8 hours.
      windowEnd: localHourMinute(9 + settings.hours),
      ...(settings.doNotCall !== undefined && { doNotCall: settings.doNotCall }),
    });
    const loginAt = new Date(OPEN_AT.getTime() - 5 * 60_000);
    const day = await driveDay(database.db, seeded, {
      seed: settings.seed + slot,
      loginAt,
      closeAt,
      tickMs: settings.tickMs,
      heartbeatMs: settings.heartbeatMs,
      onProgress: (at) =>
        process.stderr.write(
          `  ${mode}: ${at.toISOString().slice(11, 16)} UTC ${new Date().toISOString().slice(11, 19)}\n`,
        ),
    });
    const figures = await measure(database.db, seeded, day.carrier, {
      openAt: OPEN_AT,
      closeAt,
      agents: settings.agents,
    });
    const compliance = await audit(database.db, seeded, new Date(loginAt.getTime() - 10 * 60_000));
    const { counters } = day.carrier;
    return {
      mode,
      figures,
      compliance,
      ticks: day.ticks,
      wrapUps: day.wrapUps,
      carrier: {
        placed: counters.placed,
        maxLive: counters.maxLive,
        machinesDetected: counters.machinesDetected,
        handlerErrors: counters.handlerErrors,
      },
      engineErrors: day.engineErrors,
      realSeconds: Math.round(day.realSeconds),
    };
  } finally {
    await database.close();
  }
}

function localHourMinute(hours: number): string {
  const minutes = Math.round(hours * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function printTable(reports: ModeReport[]): void {
  const rows = reports.map((report) => ({
    mode: report.mode,
    'talk min/agent·h': report.figures.talkMinutesPerAgentHour.toFixed(1),
    'person talk min/agent·h': report.figures.personTalkMinutesPerAgentHour.toFixed(1),
    'abandon %': (report.figures.abandonRate * 100).toFixed(2),
    'calls/h': Math.round(report.figures.callsPerHour),
    'idle min/agent·h': report.figures.idleMinutesPerAgentHour.toFixed(1),
    'idle %': (report.figures.idleShare * 100).toFixed(1),
    answered: report.figures.answered,
    abandoned: report.figures.abandoned,
    'real s': report.realSeconds,
  }));
  console.table(rows);
  console.table(
    reports.map((report) => ({
      mode: report.mode,
      ...report.compliance,
      engineErrors: report.engineErrors.length,
    })),
  );
}

function violations(reports: ModeReport[]): string[] {
  const found: string[] = [];
  for (const report of reports) {
    for (const [rule, value] of Object.entries(report.compliance)) {
      if (value !== 0) found.push(`${report.mode}: ${rule} = ${value}`);
    }
    if (report.figures.abandonRate > 0.03)
      found.push(`${report.mode}: abandonment ${report.figures.abandonRate}`);
    if (report.engineErrors.length > 0)
      found.push(`${report.mode}: ${report.engineErrors.length} engine errors`);
  }
  const progressive = reports.find((report) => report.mode === 'progressive');
  const predictive = reports.find((report) => report.mode === 'predictive');
  if (progressive && predictive) {
    const gain = predictive.figures.talkMinutesPerAgentHour / progressive.figures.talkMinutesPerAgentHour;
    if (!(gain > 1.1))
      found.push(`predictive talk time is not clearly above progressive (×${gain.toFixed(2)})`);
  }
  return found;
}

async function main(): Promise<void> {
  if (process.env.BENCH_DIALER_ENGINE === 'model') {
    process.stdout.write(
      `dialer bench (pure pacing model, no database, no engine): ${settings.agents} agents, ${settings.hours} h\n`,
    );
    const results = await runModelBench(settings);
    await mkdir(path.dirname(resultsFile), { recursive: true });
    await writeFile(
      resultsFile.replace(/\.json$/, '-model.json'),
      JSON.stringify({ settings, results }, null, 2),
    );
    return;
  }
  process.stdout.write(
    `dialer bench: ${settings.agents} agents, ${settings.contacts} contacts, ${settings.hours} h, ` +
      `modes ${settings.modes.join(', ')}, seed ${settings.seed}; engine: dialerTick + handleCarrierEvent ` +
      `on PostgreSQL, carrier simulator on a virtual clock\n`,
  );
  const reports = await withDatabase(async (url) => {
    const setup = await openDatabase({ url, poolSize: 2 });
    await migrate(setup.db);
    await setup.close();
    const done: ModeReport[] = [];
    for (const [index, mode] of settings.modes.entries()) {
      done.push(await runMode(url, mode, index + 1));
      process.stderr.write('\n');
    }
    return done;
  });
  printTable(reports);
  for (const report of reports) {
    if (report.engineErrors.length > 0)
      process.stdout.write(`${report.mode} errors:\n  ${report.engineErrors.slice(0, 5).join('\n  ')}\n`);
  }
  const found = violations(reports);
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify({ settings, reports, violations: found }, null, 2));
  if (found.length > 0) {
    process.stdout.write(`VIOLATIONS:\n  ${found.join('\n  ')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('compliance held in every mode; predictive abandonment under the cap\n');
  }
}

await main();
