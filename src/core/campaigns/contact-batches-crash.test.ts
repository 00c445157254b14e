import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParley, type Parley } from '../../app.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { openDatabase, queryRows, type Database } from '../../platform/db/database.js';
import { createLogger } from '../../platform/logger.js';
import { bearer, TEST_PLATFORM_TOKEN } from '../../testing/app.js';
import { backendName, createTestDatabase } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { createCampaign, loadCampaign } from './campaigns.js';
import { insertCampaignContacts } from './campaign-contacts.js';

const fixture = fileURLToPath(new URL('./contact-batches-crash-fixture.ts', import.meta.url));
const projectRoot = path.resolve(path.dirname(fixture), '../../..');
const NODE_ID = 'batch-crash-node';

interface Prepared {
  database: Database;
  env: Record<string, string>;
  reopen(): Promise<Database>;
  config: Config;
}

/** Starts the fixture; resolves with the items committed when it hangs mid-chunk. */
function startChild(env: Record<string, string>): { child: ChildProcess; hanging: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: projectRoot,
    env: { ...process.env, ...env, CRASH_NODE_ID: NODE_ID },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const hanging = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not reach the hang: ${stderr}`)), 150_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /HANGING (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited (${code ?? signal}) before hanging: ${stderr}`));
    });
  });
  return { child, hanging };
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe(`contact batch killed mid-way (${backendName})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function prepare(): Promise<Prepared> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-batch-crash-'));
    cleanups.push(() => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })));
    const config = loadConfig({
      PARLEY_PLATFORM_TOKEN: TEST_PLATFORM_TOKEN,
      LOG_LEVEL: 'silent',
      PARLEY_JOB_POLL_MS: '50',
      PARLEY_DATA_DIR: dataDir,
      PARLEY_NODE_ID: NODE_ID,
    });
    if (process.env.TEST_DATABASE_URL) {
      const testDb = await createTestDatabase();
      cleanups.push(() => testDb.drop());
      return {
        database: testDb.database,
        env: { CRASH_DATABASE_URL: testDb.url! },
        reopen: () => Promise.resolve(testDb.database),
        config,
      };
    }
    const dbDir = path.join(dataDir, 'db');
    const database = await openDatabase({ dataDir: dbDir });
    const reopen = async () => {
      const reopened = await openDatabase({ dataDir: dbDir });
      cleanups.push(() => reopened.close());
      return reopened;
    };
    return { database, env: { CRASH_DATA_DIR: dbDir }, reopen, config };
  }

  /** An account, its API key and a campaign with a name and a phone field. */
  async function seed(parley: Parley): Promise<{ accountId: number; apiKey: string; campaignId: number }> {
    const inject = parley.server.inject.bind(parley.server);
    const account = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'Crash' },
    });
    const accountId = account.json<{ id: number }>().id;
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'crash' },
    });
    const campaign = await createCampaign(
      parley.ctx.db,
      accountId,
      { name: 'Crash campaign', mode: 'progressive', customFields: ['name'], phoneFields: ['phone'] },
      'test',
    );
    return { accountId, apiKey: key.json<{ token: string }>().token, campaignId: campaign.id };
  }

  const createBody = {
    priority: 12,
    customFields: Array.from({ length: 300 }, (_, index) => ({
      name: `Crash ${index}`,
      // Every 50th has no valid phone: created excluded (noValidPhone), and still only once.
      phone: index % 50 === 0 ? 'not a phone' : `+336${String(10_000_000 + index).padStart(8, '0')}`,
    })),
  };

  /** Two batches on two campaigns: a create of 300 and an update of 1,000 (one contact on a call). */
  async function submitBatches(first: Parley) {
    const seeded = await seed(first);
    const { accountId, apiKey } = seeded;
    const post = async (path: string, payload: Record<string, unknown>) => {
      const response = await first.server.inject({
        method: 'POST',
        url: path,
        headers: bearer(apiKey),
        payload,
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ token: string }>().token;
    };
    const createToken = await post(
      `/diabolocom/api/v2/voice/campaigns/${seeded.campaignId}/contact-batch/create`,
      createBody,
    );
    const other = await createCampaign(
      first.ctx.db,
      accountId,
      { name: 'Crash update', mode: 'progressive', customFields: ['name'], phoneFields: ['phone'] },
      'test',
    );
    const created = await first.ctx.db.transaction(async (tx) =>
      insertCampaignContacts(tx, {
        campaign: (await loadCampaign(tx, accountId, other.id))!,
        actor: 'seed',
        inputs: Array.from({ length: 1000 }, (_, index) => ({
          customFields: { name: `U${index}`, phone: `+336${String(20_000_000 + index).padStart(8, '0')}` },
        })),
      }),
    );
    const onCallId = created.inserted[700]!.id;
    await first.ctx.db.execute(
      sql`UPDATE campaign_contacts SET state = 'processing_in_progress' WHERE id = ${onCallId}`,
    );
    const updateToken = await post(`/diabolocom/api/v2/voice/campaigns/${other.id}/contact-batch/update`, {
      query: {},
      data: { triesNumber: 3, customFields: { name: 'updated' } },
    });
    return { ...seeded, updateCampaignId: other.id, onCallId, createToken, updateToken };
  }

  async function finished(parley: Parley, apiKey: string, batchId: string) {
    return waitFor(
      async () => {
        const response = await parley.server.inject({
          method: 'GET',
          url: `/diabolocom/api/v2/voice/campaigns/contact-batch/status/${batchId}`,
          headers: bearer(apiKey),
        });
        const body = response.json<{
          status: string;
          modifiedElementsCount: number;
          failed: number[];
          excluded: Record<string, number[]>;
        }>();
        return body.status === 'COMPLETED' || body.status === 'FAILED' ? body : undefined;
      },
      { timeoutMs: 60_000, what: 'the resumed batch' },
    );
  }

  it(
    'batches killed mid-chunk finish after a restart with the right counts and nothing applied twice',
    { timeout: 300_000 },
    async () => {
      const prepared = await prepare();
      const first = await createParley({
        config: prepared.config,
        database: prepared.database,
        logger: createLogger(prepared.config),
      });
      const batches = await submitBatches(first);
      await first.close();
      // PGlite is single-process: hand the directory over to the child.
      if (backendName === 'embedded') await prepared.database.close();

      // The child commits chunks of 30 (create) and 100 (update) and hangs in the first chunk that
      // would take a batch past 250 items, its writes made and not committed; then it is killed.
      const { child, hanging } = startChild({ ...prepared.env, BATCH_CRASH_HANG_AFTER: '250' });
      cleanups.push(() => killed(child));
      await hanging;
      await killed(child);

      const database = await prepared.reopen();
      const { db } = database;
      const atKill = await queryRows<{ id: string; processed_items: number; status: string }>(
        db,
        sql`SELECT id, processed_items, status FROM contact_batches WHERE account_id = ${batches.accountId}`,
      );
      // Killed mid-way: at least one batch has committed chunks and is not over.
      expect(
        atKill.some(
          (row) => row.status === 'IN_PROGRESS' && row.processed_items > 0 && row.processed_items <= 250,
        ),
      ).toBe(true);
      const [created] = await queryRows<{ rows: string | number }>(
        db,
        sql`SELECT count(*) AS rows FROM campaign_contacts WHERE campaign_id = ${batches.campaignId}`,
      );
      const createdAtKill = atKill.find((row) => row.id === batches.createToken)?.processed_items;
      // What the create batch committed is exactly what it counts as processed: the killed chunk left nothing.
      expect(Number(created?.rows)).toBe(createdAtKill);

      const parley = await createParley({
        config: prepared.config,
        database,
        logger: createLogger(prepared.config),
      });
      cleanups.push(() => parley.close());
      await parley.startBackground();

      const createResult = await finished(parley, batches.apiKey, batches.createToken);
      expect(createResult).toMatchObject({ status: 'COMPLETED', modifiedElementsCount: 294, failed: [] });
      expect(Object.keys(createResult.excluded)).toEqual(['noValidPhone']);
      expect(createResult.excluded.noValidPhone).toHaveLength(6);
      const [counts] = await queryRows<Record<string, string | number>>(
        db,
        sql`SELECT count(*) AS rows, count(DISTINCT batch_index) AS indexes, count(DISTINCT contact_number) AS numbers,
              max(contact_number) AS max_number, count(*) FILTER (WHERE excluded) AS excluded
            FROM campaign_contacts WHERE campaign_id = ${batches.campaignId}`,
      );
      expect(
        Object.fromEntries(Object.entries(counts ?? {}).map(([key, value]) => [key, Number(value)])),
      ).toEqual({
        rows: 300,
        indexes: 300,
        numbers: 300,
        // Numbers reserved by the killed chunk were rolled back with it: no gap.
        max_number: 300,
        excluded: 6,
      });

      expect(await finished(parley, batches.apiKey, batches.updateToken)).toEqual({
        status: 'COMPLETED',
        modifiedElementsCount: 999,
        failed: [batches.onCallId],
        excluded: {},
      });
      const [updated] = await queryRows<Record<string, string | number>>(
        db,
        sql`SELECT count(*) FILTER (WHERE tries_number = 3 AND custom_fields->>'name' = 'updated') AS updated,
              count(*) AS rows
            FROM campaign_contacts WHERE campaign_id = ${batches.updateCampaignId}`,
      );
      expect(Number(updated?.updated)).toBe(999);
      expect(Number(updated?.rows)).toBe(1000);
    },
  );
});
