import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { TestApp } from '../../testing/app.js';
import { recordDialedCall } from '../../core/dialer/dialed-call-record.js';
import { addAgent, seedAnsweredAttempt } from '../../core/dialer/dialed-call.test-kit.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount } from './diabolocom-test-kit.js';

const v2 = '/api/v2/voice/campaigns';
const v1 = '/api/v1/voice/campaigns';
const PHONE = '+33612300001';

/** What Alpha owns, by the ids Alpha's own requests answer with. */
interface Owned {
  campaignId: number;
  contactId: number;
  batchToken: string;
  wrapupId: number;
  interactionId: number;
}

/**
 * Every Diabolocom resource, asked for by the account that does not own it: 404 with the seed's
 * key (never 403: existence is not revealed), nothing in its lists, nothing changed. Each probe
 * is checked against the owner first, so a 404 cannot come from a wrong path.
 */
describe(`Diabolocom tenant isolation (${backendName})`, () => {
  let app: TestApp;
  let alpha: DiabolocomTestAccount;
  let beta: DiabolocomTestAccount;
  let owned: Owned;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    alpha = await kit.account('Alpha');
    beta = await kit.account('Beta');
    await app.parley.startBackground();
    const created = await alpha.native('POST', '/campaigns', {
      name: 'Alpha outbound',
      mode: 'progressive',
      customFields: ['name'],
      phoneFields: ['phone'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const campaignId = created.json<{ id: number }>().id;
    const contact = await alpha.call('POST', `${v2}/${campaignId}/contacts`, {
      customFields: { name: 'Ada', phone: PHONE },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const batch = await alpha.call('POST', `${v2}/${campaignId}/contact-batch/create`, {
      customFields: [{ name: 'Bob', phone: '+33612300002' }],
    });
    expect(batch.statusCode, batch.body).toBe(200);
    const batchToken = batch.json<{ token: string }>().token;
    await waitFor(
      async () => {
        const status = await alpha.call('GET', `${v2}/contact-batch/status/${batchToken}`);
        const body = status.json<{ status: string }>();
        return ['COMPLETED', 'FAILED'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 30_000, what: 'the batch' },
    ).then((body) => expect(body).toMatchObject({ status: 'COMPLETED', modifiedElementsCount: 1 }));
    const wrapups = await alpha.call('GET', '/api/v1/account/wrapups');
    const wrapupId = wrapups.json<{ wrapups: { id: number }[] }>().wrapups[0]?.id ?? 0;
    const { db, storage } = app.parley.ctx;
    const agentId = await addAgent(app, alpha.accountId, 'agent@alpha.example');
    const attempt = await seedAnsweredAttempt(db, alpha.accountId, { agentId });
    const { callId } = await recordDialedCall(
      { db, storage },
      {
        ...attempt,
        accountId: alpha.accountId,
        agentId,
        startedAt: new Date(),
        durationSeconds: 15,
        isRecorded: true,
      },
    );
    owned = {
      campaignId,
      contactId: contact.json<{ contactId: number }>().contactId,
      batchToken,
      wrapupId,
      interactionId: callId,
    };
  }, 180_000);
  afterAll(async () => {
    await app.close();
  });

  const probes = (): [string, string, string, unknown?][] => [
    ['GET', `${v1}/${owned.campaignId}`, 'error.campaign.not.exists'],
    ['GET', `${v2}/${owned.campaignId}/contacts/${owned.contactId}`, 'error.campaign.not.exists'],
    ['POST', `${v2}/${owned.campaignId}/contacts/search`, 'error.campaign.not.exists', {}],
    [
      'GET',
      `${v2}/${owned.campaignId}/contacts/search/by-date?fromDate=2000-01-01T00:00:00Z`,
      'error.campaign.not.exists',
    ],
    ['GET', `${v2}/contact-batch/status/${owned.batchToken}`, 'error.batch.not.exists'],
    ['GET', `/api/v1/account/wrapups/${owned.wrapupId}`, 'error.wrapup.not.exists'],
    ['GET', `/api/v1/recordings/interactions/${owned.interactionId}/content`, 'error.interaction.not.exists'],
  ];

  it("answers the owner, and 404 with the seed's key to the other account, for every resource", async () => {
    for (const [method, path, key, body] of probes()) {
      const own = await alpha.call(method, path, body);
      expect(own.statusCode, `${method} ${path} as owner`).toBe(200);
      const foreign = await beta.call(method, path, body);
      expect(foreign.statusCode, `${method} ${path}`).toBe(404);
      expect(foreign.json(), `${method} ${path}`).toMatchObject({ status: 404, error: key });
    }
  });

  it("cannot change or fill another account's campaign", async () => {
    const writes: [string, string, unknown?][] = [
      ['PATCH', `${v1}/${owned.campaignId}`, { name: 'Hijacked' }],
      [
        'POST',
        `${v1}/${owned.campaignId}/field`,
        { newCustomFields: [{ name: 'extra', isPhoneNumber: false }] },
      ],
      ['DELETE', `${v1}/${owned.campaignId}`],
      [
        'POST',
        `${v2}/${owned.campaignId}/contacts`,
        { customFields: { name: 'Eve', phone: '+33612300009' } },
      ],
      ['PUT', `${v2}/${owned.campaignId}/contacts/${owned.contactId}`, { priority: 1 }],
      ['DELETE', `${v2}/${owned.campaignId}/contacts/${owned.contactId}`],
      ['POST', `${v2}/${owned.campaignId}/contact-batch/create`, { customFields: [{ name: 'Eve' }] }],
      ['POST', `${v2}/${owned.campaignId}/contact-batch/update`, { query: {}, data: { priority: 1 } }],
      ['POST', `${v2}/${owned.campaignId}/contact-batch/delete`, {}],
    ];
    for (const [method, path, body] of writes) {
      const response = await beta.call(method, path, body);
      expect(response.statusCode, `${method} ${path}: ${response.body}`).toBe(404);
      expect(response.json<{ error: string }>().error).toBe('error.campaign.not.exists');
    }

    const campaign = await alpha.call('GET', `${v1}/${owned.campaignId}`);
    expect(campaign.json()).toMatchObject({ name: 'Alpha outbound' });
    const contact = await alpha.call('GET', `${v2}/${owned.campaignId}/contacts/${owned.contactId}`);
    expect(contact.statusCode).toBe(200);
    expect(contact.json<{ priority: number }>().priority).not.toBe(1);
    const search = await alpha.call('POST', `${v2}/${owned.campaignId}/contacts/search`, {});
    expect(search.json<{ totalElements: number }>().totalElements).toBe(2);
  });

  it("keeps another account's campaigns, contacts and wrap-ups out of lists and phone searches", async () => {
    const campaigns = await beta.call('GET', v1);
    const wrapups = await beta.call('GET', '/api/v1/account/wrapups');
    const byPhone = await beta.call('POST', `${v2}/contacts/search/by-phone`, { phones: [PHONE] });
    const byPhoneNamed = await beta.call('POST', `${v2}/contacts/search/by-phone`, {
      campaignIds: [owned.campaignId],
      phones: [PHONE],
    });
    const ownByPhone = await alpha.call('POST', `${v2}/contacts/search/by-phone`, { phones: [PHONE] });

    expect(campaigns.json<{ campaigns: { id: number }[] }>().campaigns.map((row) => row.id)).not.toContain(
      owned.campaignId,
    );
    expect(wrapups.json<{ wrapups: { id: number }[] }>().wrapups.map((row) => row.id)).not.toContain(
      owned.wrapupId,
    );
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json()).toMatchObject({ contacts: [], count: 0 });
    expect(byPhoneNamed.statusCode).toBe(404);
    expect(ownByPhone.json<{ count: number }>().count).toBe(1);
  });
});
