/**
 * Reliability benchmark: `npm run bench:chaos`.
 *
 * Runs the chaos suite (src/testing/chaos) at a larger scale than CI: a real `parley serve` process
 * is killed with SIGKILL during a write burst and during webhook delivery, and webhook receivers
 * hang, fail 30 % of the time at random, or answer `Retry-After: 0`. It reports acknowledged, lost
 * and duplicated writes and events, and the delay a healthy account's webhook sees while another
 * account's endpoint hangs (goal: under 2 s added).
 *
 * Embedded database by default; a server database with BENCH_DATABASE_URL (created and dropped).
 * CHAOS_SCALE=ci runs the short version. Results go to stdout and bench/results/chaos.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { benchScale, ciScale, runChaos } from '../../src/testing/chaos/run-chaos.js';
import { chaosViolations } from '../../src/testing/chaos/chaos-verdict.js';

const resultsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results', 'chaos.json');

async function withServerDatabase<T>(adminUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const name = `parley_chaos_${Date.now()}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await run(url.toString());
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const scale = process.env.CHAOS_SCALE === 'ci' ? ciScale : benchScale;
  const adminUrl = process.env.BENCH_DATABASE_URL;
  const started = Date.now();
  const report = adminUrl
    ? await withServerDatabase(adminUrl, (url) => runChaos(scale, url))
    : await runChaos(scale);
  const violations = chaosViolations(report, { maxAddedDelayMs: 2_000 });
  console.log(JSON.stringify({ scale, report, violations, seconds: (Date.now() - started) / 1000 }, null, 2));
  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify({ scale, report, violations }, null, 2));
  if (violations.length > 0) process.exitCode = 1;
}

await main();
