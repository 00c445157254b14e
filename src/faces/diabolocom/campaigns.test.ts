import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';

/** Every field of the seed's campaign structure, with its JSON type ("int|null": nullable). */
const campaignFieldTypes: Record<string, string> = {
  id: 'int',
  name: 'string',
  isPaused: 'boolean',
  isArchived: 'boolean',
  folder: 'string',
  mode: 'string',
  userIds: 'int[]',
  unassignedUserIds: 'int[]',
  groupIds: 'int[]',
  customFields: 'string[]',
  createdAt: 'iso',
  createdBy: 'string',
  lastUpdatedAt: 'iso',
  lastUpdatedBy: 'string',
  wrapupFolderId: 'int',
  phoneFields: 'string[]',
  displayedPhoneNumbers: 'string[]',
  useAgentDisplayedPhoneNumber: 'boolean',
  minCallingDateOffset: 'int|null',
  maxCallingDateOffset: 'int|null',
  maxTries: 'int',
  nextTryDelay: 'int',
  isRecorded: 'boolean',
  recordingPercentage: 'int|null',
  calendarId: 'int|null',
  regionalization: 'boolean',
  soundPlayedContactPickUp: 'int|null',
  contactPriority: 'int',
  personalCallbackPrioritization: 'boolean',
  globalPriority: 'int|null',
  deduplicationParams: 'object|null',
  autoPurge: 'object|null',
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.every((item) => Number.isInteger(item)) ? 'int[]' : 'string[]';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return 'iso';
  return typeof value;
}

function expectSeedCampaign(body: Record<string, unknown>): void {
  expect(Object.keys(body).sort()).toEqual(Object.keys(campaignFieldTypes).sort());
  for (const [field, expected] of Object.entries(campaignFieldTypes)) {
    const actual = typeOf(body[field]);
    const allowed = expected.split('|');
    // An empty array fits both int[] and string[].
    const isEmptyArray = Array.isArray(body[field]) && (body[field] as unknown[]).length === 0;
    if (!(isEmptyArray && expected.endsWith('[]'))) expect(allowed, `${field}: ${actual}`).toContain(actual);
  }
}

describe('Diabolocom campaigns', () => {
  let app: TestApp;
  let inject: Inject;
  let a: DiabolocomTestAccount;
  let b: DiabolocomTestAccount;
  const create = async (account: DiabolocomTestAccount, body: Record<string, unknown>) =>
    (await account.native('POST', '/campaigns', body)).json<{ id: number }>().id;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    inject = kit.inject;
    a = await kit.account('A');
    b = await kit.account('B');
  });
  afterAll(() => app.close());

  it('gets a campaign in the seed shape', async () => {
    const id = await create(a, {
      name: 'Marketing - Xmas 2019',
      mode: 'predictive',
      customFields: ['firstName'],
      phoneFields: ['phone1', 'phone2'],
    });
    const response = await a.call('GET', `/api/v1/voice/campaigns/${id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expectSeedCampaign(body);
    expect(body).toMatchObject({
      id,
      name: 'Marketing - Xmas 2019',
      mode: 'predictive',
      isPaused: true,
      folder: '',
      customFields: ['firstName', 'phone1', 'phone2'],
      phoneFields: ['phone1', 'phone2'],
      nextTryDelay: 86400,
      contactPriority: 10,
      createdBy: 'test',
    });
  });

  it('answers 401, 404 and 405 with the seed keys', async () => {
    const anonymous = await inject({ method: 'GET', url: '/diabolocom/api/v1/voice/campaigns/1' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ status: 401, error: 'error.unauthorized' });
    const wrong = await inject({
      method: 'GET',
      url: '/diabolocom/api/v1/voice/campaigns',
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(wrong.json()).toMatchObject({ status: 401, error: 'error.unauthorized' });
    for (const path of ['/api/v1/voice/campaigns/987654', '/api/v1/voice/campaigns/abc']) {
      const missing = await a.call('GET', path);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
    }
    const put = await a.call('PUT', '/api/v1/voice/campaigns/1', {});
    expect(put.statusCode).toBe(405);
    expect(put.json()).toMatchObject({ status: 405, error: 'error.method.not.allowed' });
  });

  it('patches only the given fields and validates displayed phone numbers', async () => {
    const id = await create(a, { name: 'Patch', mode: 'preview' });
    const bad = await a.call('PATCH', `/api/v1/voice/campaigns/${id}`, {
      displayedPhoneNumbers: ['+33123456789'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
    for (const invalid of [{ maxTries: 'many' }, { minCallingDateOffset: 5 }, { recordingPercentage: 150 }]) {
      expect((await a.call('PATCH', `/api/v1/voice/campaigns/${id}`, invalid)).statusCode).toBe(400);
    }
    const response = await a.call('PATCH', `/api/v1/voice/campaigns/${id}`, {
      displayedPhoneNumbers: ['33123456789'],
      folder: 'Sales',
      isRecorded: true,
      recordingPercentage: 25,
      autoPurge: { enabled: true, maxTriesReached: true },
      globalPriority: 3,
      isPaused: false,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expectSeedCampaign(body);
    expect(body).toMatchObject({
      name: 'Patch',
      folder: 'Sales',
      displayedPhoneNumbers: ['33123456789'],
      recordingPercentage: 25,
      autoPurge: { enabled: true, maxTriesReached: true },
      isPaused: false,
      lastUpdatedBy: 'test',
    });
    const archivePlaying = await a.call('PATCH', `/api/v1/voice/campaigns/${id}`, { isArchived: true });
    expect(archivePlaying.statusCode).toBe(400);
    expect((await a.call('GET', `/api/v1/voice/campaigns/${id}`)).json()).toMatchObject({
      isArchived: false,
    });
  });

  it('lists campaigns by page with next/previous links that keep the filters', async () => {
    for (const name of ['Page 1', 'Page 2', 'Page 3']) await create(a, { name, mode: 'progressive' });
    const first = await a.call('GET', '/api/v1/voice/campaigns?name=page&pageSize=2');
    expect(first.statusCode).toBe(200);
    const page = first.json<{ count: number; campaigns: Record<string, unknown>[]; next: string | null }>();
    expect(page.count).toBe(3);
    expect(page.campaigns.map((row) => row.name)).toEqual(['Page 1', 'Page 2']);
    expectSeedCampaign(page.campaigns[0]!);
    expect(page).toMatchObject({
      next: '/diabolocom/api/v1/voice/campaigns?name=page&pageSize=2&page=2',
      previous: null,
    });
    const second = await inject({
      method: 'GET',
      url: page.next!,
      headers: { authorization: `Bearer ${a.apiKey}` },
    });
    expect(second.json()).toMatchObject({
      count: 3,
      next: null,
      previous: '/diabolocom/api/v1/voice/campaigns?name=page&pageSize=2&page=1',
    });
    expect(second.json<{ campaigns: unknown[] }>().campaigns).toHaveLength(1);
    const modes = await a.call(
      'GET',
      '/api/v1/voice/campaigns?mode=progressive&isArchived=false&pageSize=500',
    );
    expect(modes.json<{ count: number }>().count).toBe(3);
    for (const bad of ['page=0', 'isPaused=maybe', 'mode=turbo', 'pageSize=0']) {
      expect((await a.call('GET', `/api/v1/voice/campaigns?${bad}`)).statusCode).toBe(400);
    }
  });

  it('adds custom fields and refuses one that already exists', async () => {
    const id = await create(a, { name: 'Fields', mode: 'preview', customFields: ['field1'] });
    const added = await a.call('POST', `/api/v1/voice/campaigns/${id}/field`, {
      newCustomFields: [
        { name: 'field2', isPhoneNumber: false },
        { name: 'fieldPhone1', isPhoneNumber: true },
      ],
    });
    expect(added.statusCode).toBe(200);
    expectSeedCampaign(added.json());
    expect(added.json()).toMatchObject({
      customFields: ['field1', 'field2', 'fieldPhone1'],
      phoneFields: ['fieldPhone1'],
    });
    const again = await a.call('POST', `/api/v1/voice/campaigns/${id}/field`, {
      newCustomFields: [{ name: 'field1', isPhoneNumber: false }],
    });
    expect(again.statusCode).toBe(400);
    expect(again.json<{ message: string }>().message).toContain('field already exists');
    const missing = await a.call('POST', '/api/v1/voice/campaigns/987654/field', {
      newCustomFields: [{ name: 'x', isPhoneNumber: false }],
    });
    expect(missing.json()).toMatchObject({ status: 404, error: 'error.campaign.not.exists' });
  });

  it('deletes an archived campaign and answers it as it was', async () => {
    const id = await create(a, { name: 'Delete me', mode: 'preview' });
    expect((await a.call('DELETE', `/api/v1/voice/campaigns/${id}`)).statusCode).toBe(400);
    await a.call('PATCH', `/api/v1/voice/campaigns/${id}`, { isArchived: true });
    const deleted = await a.call('DELETE', `/api/v1/voice/campaigns/${id}`);
    expect(deleted.statusCode).toBe(200);
    expectSeedCampaign(deleted.json());
    expect(deleted.json()).toMatchObject({ id, isArchived: true });
    expect((await a.call('GET', `/api/v1/voice/campaigns/${id}`)).statusCode).toBe(404);
  });

  it("keeps account B away from A's campaigns", async () => {
    const id = await create(a, { name: 'Private', mode: 'preview' });
    const path = `/api/v1/voice/campaigns/${id}`;
    for (const [method, url, body] of [
      ['GET', path, undefined],
      ['PATCH', path, { name: 'stolen' }],
      ['DELETE', path, undefined],
      ['POST', `${path}/field`, { newCustomFields: [{ name: 'x', isPhoneNumber: false }] }],
    ] as const) {
      const response = await b.call(method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ error: 'error.campaign.not.exists' });
    }
    const list = await b.call('GET', '/api/v1/voice/campaigns');
    expect(list.json()).toMatchObject({ count: 0, campaigns: [], next: null, previous: null });
    expect((await a.call('GET', path)).json()).toMatchObject({ name: 'Private' });
  });
});
