import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createTestWorker } from '../../testing/job-test-kit.js';
import { createCampaign } from '../../core/campaigns/campaigns.js';
import { contactBatchJob } from '../../core/campaigns/contact-batches.jobs.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';

describe(`a contact batch whose last attempt died with its worker (${backendName})`, () => {
  let app: TestApp;
  let account: DiabolocomTestAccount;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    account = await kit.account('Abandoned');
  });
  afterAll(async () => {
    await app.close();
  });

  it('ends FAILED with the reason, and the campaign takes a new batch', async () => {
    const { db, database } = app.parley.ctx;
    const campaign = await createCampaign(
      db,
      account.accountId,
      { name: 'Abandoned', mode: 'progressive', customFields: ['name'], phoneFields: ['phone'] },
      'test',
    );
    const path = `/api/v2/voice/campaigns/${campaign.id}/contact-batch/create`;
    const body = { customFields: [{ name: 'Ada', phone: '+33612345678' }] };
    const submitted = await account.call('POST', path, body);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const { token } = submitted.json<{ token: string }>();
    // What a worker killed during the job's last allowed attempt leaves behind.
    await db.execute(sql`UPDATE jobs SET state = 'running', attempts = max_attempts, locked_by = 'ghost',
      lease_token = gen_random_uuid(), locked_until = now() - interval '1 second'
      WHERE name = ${contactBatchJob.name} AND payload->>'batchId' = ${token}`);

    expect(await createTestWorker(database, [contactBatchJob]).runOnce()).toBe(1);

    const status = await account.call('GET', `/api/v2/voice/campaigns/contact-batch/status/${token}`);
    expect(status.json()).toMatchObject({ status: 'FAILED' });
    const again = await account.call('POST', path, body);
    expect(again.statusCode, again.body).toBe(200);
  });
});
