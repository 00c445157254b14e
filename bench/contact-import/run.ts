/**
 * Contact import benchmark: `npm run bench:contact-import`.
 *
 * Imports BENCH_CONTACT_IMPORT_CONTACTS (default 100,000) contacts into one campaign through the
 * Diabolocom face, as a client would: `POST .../contact-batch/create` with 300 contacts per
 * request (the seed's maximum), then `GET .../contact-batch/status/{token}` until COMPLETED, since
 * a campaign takes one batch at a time. Each batch is run by the durable job worker in chunks,
 * exactly as in production. Target: < 60 s on the embedded database (PGlite, on disk in a
 * temporary directory), the requirement; BENCH_DATABASE_URL runs it on a server instead.
 *
 * Checks at the end: every contact imported once (row count, distinct contact numbers, no gap),
 * every batch COMPLETED. Results go to stdout and bench/results/contact-import.json.
 * BENCH_NO_RELAY=1 (diagnostic only, not a valid result) stops the event relay, to show how much
 * of the time goes to delivering the import's `contact.created` events.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createParley } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { queryRows } from '../../src/platform/db/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { bearer, TEST_PLATFORM_TOKEN } from '../../src/testing/app.js';
import { createCampaign } from '../../src/core/campaigns/campaigns.js';
import { CONTACT_BATCH_JOB } from '../../src/core/campaigns/contact-batches.jobs.js';

const CONTACTS = Number(process.env.BENCH_CONTACT_IMPORT_CONTACTS ?? '100000');
const PER_REQUEST = 300;
const TARGET_SECONDS = 60;
/** How often the client asks for the status: often enough to start the next batch soon after. */
const POLL_MS = Number(process.env.BENCH_CONTACT_IMPORT_POLL_MS ?? '20');
const resultsFile = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'results',
  'contact-import.json',
);

/** Valid French mobile numbers, distinct per contact; every 1,000th one invalid (excluded). */
function contactAt(index: number): Record<string, string> {
  const phone = index % 1000 === 999 ? 'unknown' : `+336${String(index).padStart(8, '0')}`;
  return { firstName: `First${index}`, lastName: `Last${index}`, city: index % 2 ? 'Paris' : 'Lyon', phone };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-contact-import-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const config = loadConfig({
    PARLEY_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
    LOG_LEVEL: 'error',
    PARLEY_DATA_DIR: dataDir,
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  });
  const parley = await createParley({ config, logger: createLogger(config) });
  try {
    await parley.startBackground();
    if (process.env.BENCH_NO_RELAY === '1') await parley.relay.stop();
    const inject = parley.server.inject.bind(parley.server);
    const account = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'Import bench' },
    });
    const accountId = account.json<{ id: number }>().id;
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'bench' },
    });
    const headers = bearer(key.json<{ token: string }>().token);
    const campaign = await createCampaign(
      parley.ctx.db,
      accountId,
      {
        name: 'Import',
        mode: 'progressive',
        customFields: ['firstName', 'lastName', 'city'],
        phoneFields: ['phone'],
      },
      'bench',
    );

    const requests = Math.ceil(CONTACTS / PER_REQUEST);
    const batchSeconds: number[] = [];
    let modified = 0;
    let excluded = 0;
    const startedAt = performance.now();
    // The embedded database runs in this process: its CPU time is the import's work, whatever else
    // the machine is doing (the wall time is not, on a shared machine).
    const cpuAtStart = process.cpuUsage();
    for (let request = 0; request < requests; request += 1) {
      const from = request * PER_REQUEST;
      const customFields = Array.from({ length: Math.min(PER_REQUEST, CONTACTS - from) }, (_, n) =>
        contactAt(from + n),
      );
      const batchStart = performance.now();
      const submitted = await inject({
        method: 'POST',
        url: `/diabolocom/api/v2/voice/campaigns/${campaign.id}/contact-batch/create`,
        headers,
        payload: { customFields },
      });
      if (submitted.statusCode !== 200)
        throw new Error(`batch ${request}: ${submitted.statusCode} ${submitted.body}`);
      const token = submitted.json<{ token: string }>().token;
      for (;;) {
        const status = await inject({
          method: 'GET',
          url: `/diabolocom/api/v2/voice/campaigns/contact-batch/status/${token}`,
          headers,
        });
        const body = status.json<{
          status: string;
          modifiedElementsCount: number;
          excluded: Record<string, number[]>;
        }>();
        if (body.status === 'FAILED') throw new Error(`batch ${request} failed`);
        if (body.status === 'COMPLETED') {
          modified += body.modifiedElementsCount;
          excluded += Object.values(body.excluded).flat().length;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      batchSeconds.push((performance.now() - batchStart) / 1000);
      if ((request + 1) % 50 === 0) {
        const elapsed = (performance.now() - startedAt) / 1000;
        process.stdout.write(
          `${Math.min(CONTACTS, (request + 1) * PER_REQUEST)} contacts in ${elapsed.toFixed(1)} s\n`,
        );
      }
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);

    const [check] = await queryRows<Record<string, string | number>>(
      parley.ctx.db,
      sql`SELECT count(*) AS rows, count(DISTINCT contact_number) AS numbers, max(contact_number) AS max_number
          FROM campaign_contacts WHERE campaign_id = ${campaign.id}`,
    );
    const rows = Number(check?.rows);
    const isExact =
      rows === CONTACTS && Number(check?.numbers) === CONTACTS && Number(check?.max_number) === CONTACTS;
    // Where a batch's time goes: waiting for a worker to claim its step, and running it.
    const [jobs] = await queryRows<Record<string, string | number | null>>(
      parley.ctx.db,
      sql`SELECT count(*) AS steps,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000 AS wait_ms,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at)) * 1000 AS run_ms
          FROM jobs WHERE name = ${CONTACT_BATCH_JOB} AND state = 'completed'`,
    );
    const sorted = [...batchSeconds].sort((a, b) => a - b);
    const result = {
      backend: databaseUrl ? 'server' : 'embedded',
      route: 'Diabolocom face: POST contact-batch/create (300 per request) + GET status until COMPLETED',
      contacts: CONTACTS,
      requests,
      seconds: Number(seconds.toFixed(2)),
      contactsPerSecond: Math.round(CONTACTS / seconds),
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      batchP50Ms: Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 1000),
      batchP99Ms: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 1000),
      jobSteps: Number(jobs?.steps),
      stepClaimWaitP50Ms: Math.round(Number(jobs?.wait_ms)),
      stepRunP50Ms: Math.round(Number(jobs?.run_ms)),
      loadAverage: loadavg().map((value) => Number(value.toFixed(1))),
      modified,
      excluded,
      rows,
      isExact,
      targetSeconds: TARGET_SECONDS,
      passed: isExact && seconds < TARGET_SECONDS,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    await mkdir(path.dirname(resultsFile), { recursive: true });
    await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    if (!result.passed) process.exitCode = 1;
  } finally {
    await parley.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`contact import bench failed: ${String(error)}\n`);
  process.exit(1);
});
