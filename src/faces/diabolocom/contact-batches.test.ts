import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db/database.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { TestApp } from '../../testing/app.js';
import { createCampaign } from '../../core/campaigns/campaigns.js';
import { CONTACT_BATCH_JOB } from '../../core/campaigns/contact-batches.jobs.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';

interface BatchResult {
  status: string;
  modifiedElementsCount: number;
  failed: number[];
  excluded: Record<string, number[]>;
}

const base = '/api/v2/voice/campaigns';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const phone = (n: number) => `+336${String(30_000_000 + n).padStart(8, '0')}`;

describe(`Diabolocom contact batches (${backendName})`, () => {
  let app: TestApp;
  let alpha: DiabolocomTestAccount;
  let beta: DiabolocomTestAccount;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    alpha = await kit.account('Alpha');
    beta = await kit.account('Beta');
  });
  afterAll(async () => {
    await app.close();
  });

  const db = () => app.parley.ctx.db;

  async function campaignOf(account: DiabolocomTestAccount, name: string): Promise<number> {
    const campaign = await createCampaign(
      db(),
      account.accountId,
      { name, mode: 'progressive', customFields: ['name'], phoneFields: ['phone'] },
      'test',
    );
    return campaign.id;
  }

  async function submit(account: DiabolocomTestAccount, path: string, body: unknown): Promise<string> {
    const response = await account.call('POST', path, body);
    expect(response.statusCode, response.body).toBe(200);
    const json = response.json<{ token: string }>();
    expect(Object.keys(json)).toEqual(['token']);
    expect(json.token).toMatch(UUID);
    return json.token;
  }

  async function finished(account: DiabolocomTestAccount, token: string): Promise<BatchResult> {
    return waitFor(
      async () => {
        const response = await account.call('GET', `${base}/contact-batch/status/${token}`);
        expect(response.statusCode).toBe(200);
        const body = response.json<BatchResult>();
        return body.status === 'COMPLETED' || body.status === 'FAILED' ? body : undefined;
      },
      { timeoutMs: 20_000, what: `batch ${token}` },
    );
  }

  async function batchCount(campaignId: number): Promise<number> {
    const [row] = await queryRows<{ count: string | number }>(
      db(),
      sql`SELECT count(*) AS count FROM contact_batches WHERE campaign_id = ${campaignId}`,
    );
    return Number(row?.count);
  }

  async function contactsOf(campaignId: number) {
    return queryRows<{ id: string | number; priority: number; excluded: boolean; tries_number: number }>(
      db(),
      sql`SELECT id, priority, excluded, tries_number FROM campaign_contacts
          WHERE campaign_id = ${campaignId} ORDER BY id`,
    );
  }

  it('accepts a batch, answers 409 to a second one while it is live, then runs it', async () => {
    const campaignId = await campaignOf(alpha, 'Busy');
    // The worker is not started yet: the first batch stays ACCEPTED.
    const token = await submit(alpha, `${base}/${campaignId}/contact-batch/create`, {
      customFields: [{ name: 'One', phone: phone(1) }],
    });
    const status = await alpha.call('GET', `${base}/contact-batch/status/${token}`);
    expect(status.json()).toEqual({ status: 'ACCEPTED', modifiedElementsCount: 0, failed: [], excluded: {} });

    for (const [path, body] of [
      ['create', { customFields: [{ name: 'Two', phone: phone(2) }] }],
      ['update', { query: {}, data: { priority: 3 } }],
      ['delete', {}],
    ] as const) {
      const second = await alpha.call('POST', `${base}/${campaignId}/contact-batch/${path}`, body);
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ status: 409, error: 'error.conflict' });
    }
    expect(await batchCount(campaignId)).toBe(1);
    // The step job is the account's: claims are fair across accounts, and one account's steps
    // share a concurrency key, so a big import cannot take every worker slot.
    const [job] = await queryRows<{ account_id: string | number; concurrency_key: string; queue: string }>(
      db(),
      sql`SELECT account_id, concurrency_key, queue FROM jobs WHERE name = ${CONTACT_BATCH_JOB}
          AND payload->>'batchId' = ${token}`,
    );
    expect(job).toMatchObject({
      concurrency_key: `contact-batches:account:${alpha.accountId}`,
      queue: 'contact-batches',
    });
    expect(Number(job?.account_id)).toBe(alpha.accountId);

    await app.parley.startBackground();
    expect(await finished(alpha, token)).toEqual({
      status: 'COMPLETED',
      modifiedElementsCount: 1,
      failed: [],
      excluded: {},
    });
    // Once it is over, the campaign takes a new batch.
    await finished(alpha, await submit(alpha, `${base}/${campaignId}/contact-batch/delete`, {}));
  });

  it('creates contacts with the common fields; exclusions are listed by reason with their ids', async () => {
    const campaignId = await campaignOf(alpha, 'Create');
    await db().execute(
      sql`INSERT INTO do_not_call_numbers (account_id, phone_number) VALUES (${alpha.accountId}, ${phone(4).slice(1)})`,
    );
    const token = await submit(alpha, `${base}/${campaignId}/contact-batch/create?priorityMode=false`, {
      priority: 7,
      triesNumber: 1,
      customFields: [
        { name: 'A', phone: phone(1) },
        { name: 'B', phone: phone(2) },
        { name: 'C', phone: 'not a phone' },
        { name: 'D', phone: phone(4) },
        { name: 'E', phone: phone(5) },
      ],
    });
    const result = await finished(alpha, token);
    const contacts = await contactsOf(campaignId);
    expect(contacts).toHaveLength(5);
    expect(contacts.every((row) => row.priority === 7 && row.tries_number === 1)).toBe(true);
    const ids = contacts.map((row) => Number(row.id));
    expect(result).toEqual({
      status: 'COMPLETED',
      modifiedElementsCount: 3,
      failed: [],
      excluded: { noValidPhone: [ids[2]], bloctel: [ids[3]] },
    });
  });

  it('updates the contacts a filter matches, ignoring misspelled filters; a contact on a call fails', async () => {
    const campaignId = await campaignOf(alpha, 'Update');
    await finished(
      alpha,
      await submit(alpha, `${base}/${campaignId}/contact-batch/create`, {
        customFields: Array.from({ length: 6 }, (_, n) => ({
          name: n < 4 ? `keep ${n}` : `other ${n}`,
          phone: phone(n),
        })),
      }),
    );
    const [first, second] = await contactsOf(campaignId);
    await db().execute(
      sql`UPDATE campaign_contacts SET state = 'processing_in_progress' WHERE id = ${Number(second!.id)}`,
    );
    const token = await submit(alpha, `${base}/${campaignId}/contact-batch/update`, {
      query: {
        customFieldConditions: [{ customFieldName: 'name', condition: 'startsWith', value: 'keep' }],
        misspeledFilter: true,
      },
      data: { priority: 42, customFields: { name: 'kept' } },
    });
    expect(await finished(alpha, token)).toEqual({
      status: 'COMPLETED',
      modifiedElementsCount: 3,
      failed: [Number(second!.id)],
      excluded: {},
    });
    const contacts = await contactsOf(campaignId);
    expect(contacts.filter((row) => row.priority === 42).map((row) => Number(row.id))).toHaveLength(3);
    expect(contacts.find((row) => Number(row.id) === Number(first!.id))?.priority).toBe(42);
    expect(contacts.find((row) => Number(row.id) === Number(second!.id))?.priority).toBe(10);
  });

  it('deletes by filter (top level or under `query`); an empty filter deletes every contact', async () => {
    const campaignId = await campaignOf(alpha, 'Delete');
    await finished(
      alpha,
      await submit(alpha, `${base}/${campaignId}/contact-batch/create`, {
        customFields: Array.from({ length: 5 }, (_, n) => ({ name: `n${n}`, phone: phone(n) })),
      }),
    );
    const byTopLevel = await submit(alpha, `${base}/${campaignId}/contact-batch/delete`, {
      customFieldConditions: [{ customFieldName: 'name', condition: 'eq', value: 'n0' }],
    });
    expect(await finished(alpha, byTopLevel)).toMatchObject({
      status: 'COMPLETED',
      modifiedElementsCount: 1,
    });
    const byQuery = await submit(alpha, `${base}/${campaignId}/contact-batch/delete`, {
      query: { customFieldConditions: [{ customFieldName: 'name', condition: 'eq', value: 'n1' }] },
    });
    expect(await finished(alpha, byQuery)).toMatchObject({ status: 'COMPLETED', modifiedElementsCount: 1 });
    expect(await contactsOf(campaignId)).toHaveLength(3);
    const everything = await submit(alpha, `${base}/${campaignId}/contact-batch/delete`, { typo: 1 });
    expect(await finished(alpha, everything)).toEqual({
      status: 'COMPLETED',
      modifiedElementsCount: 3,
      failed: [],
      excluded: {},
    });
    expect(await contactsOf(campaignId)).toHaveLength(0);
  });

  it('refuses bad input with 400 in the face format and stores nothing', async () => {
    const campaignId = await campaignOf(alpha, 'Refusals');
    const tooMany = Array.from({ length: 301 }, (_, n) => ({ name: `x${n}`, phone: phone(n) }));
    const cases: [string, unknown][] = [
      ['create', { customFields: tooMany }],
      ['create', { priority: 1 }],
      ['create', { customFields: [] }],
      ['create', { customFields: [{ name: 'x', phone: phone(1) }, { name: 5 }] }],
      ['create', { customFields: [{ unknownField: 'x' }] }],
      ['create', { wrapupId: 999_999, customFields: [{ name: 'x' }] }],
      ['create', { retryDate: 'tomorrow', customFields: [{ name: 'x' }] }],
      ['update', { query: {}, data: { phones: { phone: phone(1) } } }],
      ['update', { query: {}, data: { customFields: { phone: phone(1) } } }],
      ['update', { query: {}, data: {} }],
      ['update', { query: {} }],
      ['update', { query: { minPriority: 'high' }, data: { priority: 1 } }],
      ['delete', { query: { contactIds: 'all' } }],
    ];
    for (const [path, body] of cases) {
      const response = await alpha.call('POST', `${base}/${campaignId}/contact-batch/${path}`, body);
      expect(response.statusCode, `${path} ${JSON.stringify(body).slice(0, 80)}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
      expect(typeof response.json<{ message: string }>().message).toBe('string');
    }
    expect(await batchCount(campaignId)).toBe(0);
  });

  it('answers 404 for an unknown, malformed or foreign campaign and batch; keeps tenants apart', async () => {
    const campaignId = await campaignOf(alpha, 'Private');
    for (const account of [alpha, beta]) {
      for (const id of ['999999999', 'abc', ...(account === beta ? [String(campaignId)] : [])]) {
        const response = await account.call('POST', `${base}/${id}/contact-batch/create`, {
          customFields: [{ name: 'x', phone: phone(1) }],
        });
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
      }
    }
    const token = await submit(alpha, `${base}/${campaignId}/contact-batch/create`, {
      customFields: [{ name: 'x', phone: phone(1) }],
    });
    await finished(alpha, token);
    for (const [account, id] of [
      [beta, token],
      [alpha, 'not-a-uuid'],
      [alpha, '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      const response = await account.call('GET', `${base}/contact-batch/status/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ status: 404, error: 'error.batch.not.exists' });
    }
    const noToken = await app.parley.server.inject({
      method: 'GET',
      url: `/diabolocom${base}/contact-batch/status/${token}`,
    });
    expect(noToken.statusCode).toBe(401);
    const wrongMethod = await alpha.call('GET', `${base}/${campaignId}/contact-batch/create`);
    expect(wrongMethod.statusCode).toBe(405);
  });
});
