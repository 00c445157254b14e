import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN } from '../../testing/app.js';
import {
  createDiabolocomTestApp,
  type DiabolocomTestAccount,
  type Inject,
} from '../diabolocom/diabolocom-test-kit.js';
import type { TestApp } from '../../testing/app.js';

interface Campaign {
  id: number;
  name: string;
  isPaused: boolean;
  isArchived: boolean;
  timezone: string;
  calendarId: number | null;
  wrapupFolderId: number | null;
  createdBy: string;
  lastUpdatedBy: string;
  customFields: string[];
  phoneFields: string[];
}

describe('native campaigns, wrap-ups and dialer calendars', () => {
  let app: TestApp;
  let inject: Inject;
  let a: DiabolocomTestAccount;
  let b: DiabolocomTestAccount;

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    inject = kit.inject;
    a = await kit.account('A');
    b = await kit.account('B');
  });
  afterAll(() => app.close());

  it('creates a campaign from {name, mode} and shows the route in the OpenAPI document', async () => {
    const created = await a.native('POST', '/campaigns', { name: 'Winter', mode: 'progressive' });
    expect(created.statusCode).toBe(201);
    const body = created.json<Campaign>();
    expect(body).toMatchObject({ name: 'Winter', isPaused: true, isArchived: false, createdBy: 'test' });
    expect(Number.isInteger(body.id)).toBe(true);
    expect(Number.isInteger(body.wrapupFolderId)).toBe(true);
    const openapi = (await inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(openapi.paths['/api/v1/accounts/{accountId}/campaigns'] ?? {})).toEqual(
      expect.arrayContaining(['post', 'get']),
    );
    expect(openapi.paths['/api/v1/accounts/{accountId}/wrapups']).toBeDefined();
    expect(openapi.paths['/api/v1/accounts/{accountId}/dialer-calendars']).toBeDefined();
  });

  it('refuses bad input with 4xx and no token with 401', async () => {
    for (const bad of [
      { name: 'x', mode: 'turbo' },
      { mode: 'preview' },
      { name: 'x', mode: 'preview', timezone: 'Nowhere/Land' },
      { name: 'x', mode: 'preview', displayedPhoneNumbers: ['+33612345678'] },
      { name: 'x', mode: 'preview', maxAbandonRate: 0.1 },
      { name: 'x', mode: 'preview', userIds: [424242] },
    ]) {
      const response = await a.native('POST', '/campaigns', bad);
      expect([400, 422]).toContain(response.statusCode);
    }
    const anonymous = await inject({ method: 'GET', url: `/api/v1/accounts/${a.accountId}/campaigns` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps writes to administrators', async () => {
    const key = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${a.accountId}/api-keys`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'agent key', role: 'agent' },
    });
    const agentToken = key.json<{ token: string }>().token;
    const url = `/api/v1/accounts/${a.accountId}/campaigns`;
    const write = await inject({
      method: 'POST',
      url,
      headers: bearer(agentToken),
      payload: { name: 'No', mode: 'preview' },
    });
    expect(write.statusCode).toBe(403);
    expect((await inject({ method: 'GET', url, headers: bearer(agentToken) })).statusCode).toBe(200);
  });

  it('patches, lists by cursor, and deletes only archived campaigns', async () => {
    const ids: number[] = [];
    for (const name of ['P1', 'P2', 'P3']) {
      ids.push((await a.native('POST', '/campaigns', { name, mode: 'preview' })).json<Campaign>().id);
    }
    const patched = await a.native('PATCH', `/campaigns/${ids[0]}`, {
      timezone: 'America/New_York',
      callingWindows: { '2': [{ start: '09:00', end: '17:30' }] },
      retryRules: { byWrapupStatus: { tocall: { maxTries: 2, delaySeconds: 3600 } } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<Campaign>().timezone).toBe('America/New_York');
    const first = await a.native('GET', '/campaigns?limit=2');
    const page = first.json<{ data: Campaign[]; nextCursor: number | null }>();
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
    const second = await a.native('GET', `/campaigns?limit=2&cursor=${page.nextCursor}`);
    expect(second.json<{ data: Campaign[] }>().data[0]!.id).toBeGreaterThan(page.data[1]!.id);
    expect((await a.native('DELETE', `/campaigns/${ids[1]}`)).statusCode).toBe(422);
    await a.native('PATCH', `/campaigns/${ids[1]}`, { isArchived: true });
    expect((await a.native('DELETE', `/campaigns/${ids[1]}`)).statusCode).toBe(204);
    expect((await a.native('GET', `/campaigns/${ids[1]}`)).statusCode).toBe(404);
  });

  it("isolates accounts: B cannot read, change or delete A's campaigns, codes, folders or calendars", async () => {
    const campaign = (
      await a.native('POST', '/campaigns', { name: 'Mine', mode: 'preview' })
    ).json<Campaign>();
    const code = (await a.native('POST', '/wrapups', { name: 'Sold', status: 'arguedpositive' })).json<{
      id: number;
    }>();
    const folder = (await a.native('POST', '/wrapup-folders', { name: 'Sales' })).json<{ id: number }>();
    const calendar = (await a.native('POST', '/dialer-calendars', { name: 'FR' })).json<{ id: number }>();
    expect((await b.native('GET', `/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await b.native('PATCH', `/campaigns/${campaign.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.native('DELETE', `/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect((await b.native('GET', `/wrapups/${code.id}`)).statusCode).toBe(404);
    expect((await b.native('PATCH', `/wrapups/${code.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await b.native('DELETE', `/wrapups/${code.id}`)).statusCode).toBe(404);
    expect((await b.native('DELETE', `/wrapup-folders/${folder.id}`)).statusCode).toBe(404);
    expect((await b.native('GET', `/dialer-calendars/${calendar.id}`)).statusCode).toBe(404);
    expect((await b.native('DELETE', `/dialer-calendars/${calendar.id}`)).statusCode).toBe(404);
    const borrowing = await b.native('POST', '/campaigns', {
      name: 'x',
      mode: 'preview',
      calendarId: calendar.id,
    });
    expect(borrowing.statusCode).toBe(422);
    const list = await b.native('GET', '/campaigns');
    expect(list.json<{ data: Campaign[] }>().data.map((row) => row.id)).not.toContain(campaign.id);
  });

  it('builds a folder tree with paths and manages codes in it', async () => {
    const root = (await a.native('POST', '/wrapup-folders', { name: 'Outbound' })).json<{ id: number }>();
    const child = await a.native('POST', '/wrapup-folders', { name: 'Paris', parentFolderId: root.id });
    expect(child.statusCode).toBe(201);
    expect(child.json()).toMatchObject({ path: 'Outbound/Paris', level: 1, parentFolderId: root.id });
    expect((await a.native('POST', '/wrapup-folders', { name: 'Outbound' })).statusCode).toBe(409);
    const renamed = await a.native('PATCH', `/wrapup-folders/${root.id}`, { name: 'Outbound Marketing' });
    expect(renamed.json()).toMatchObject({ path: 'Outbound Marketing' });
    const childId = child.json<{ id: number }>().id;
    const code = await a.native('POST', '/wrapups', {
      name: 'Call me later',
      status: 'tocall',
      folderId: childId,
      unpinAfter: 90000,
    });
    expect(code.statusCode).toBe(201);
    expect(code.json()).toMatchObject({ path: 'Outbound Marketing/Paris', unpinAfter: 90000 });
    const codeId = code.json<{ id: number }>().id;
    expect((await a.native('PATCH', `/wrapups/${codeId}`, { isHidden: true })).json()).toMatchObject({
      isHidden: true,
    });
    expect((await a.native('DELETE', `/wrapup-folders/${childId}`)).statusCode).toBe(409);
    expect((await a.native('DELETE', `/wrapups/${codeId}`)).statusCode).toBe(204);
    expect((await a.native('DELETE', `/wrapup-folders/${childId}`)).statusCode).toBe(204);
    const system = await a.native('GET', '/wrapups?limit=200');
    const rows = system.json<{ data: { id: number; isSystem: boolean }[] }>().data;
    const systemCode = rows.find((row) => row.isSystem)!;
    expect((await a.native('DELETE', `/wrapups/${systemCode.id}`)).statusCode).toBe(409);
  });

  it('manages dialer calendars and links one to a campaign', async () => {
    const created = await a.native('POST', '/dialer-calendars', {
      name: 'France',
      timezone: 'Europe/Paris',
      weeklyWindows: { '1': [{ start: '09:00', end: '20:00' }] },
      holidays: ['2026-12-25', '2026-05-01'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ holidays: ['2026-05-01', '2026-12-25'] });
    const id = created.json<{ id: number }>().id;
    expect((await a.native('POST', '/dialer-calendars', { name: 'Bad', timezone: 'Paris' })).statusCode).toBe(
      422,
    );
    const patched = await a.native('PATCH', `/dialer-calendars/${id}`, { holidays: [] });
    expect(patched.json()).toMatchObject({ holidays: [] });
    const campaign = await a.native('POST', '/campaigns', { name: 'Cal', mode: 'preview', calendarId: id });
    expect(campaign.json<Campaign>().calendarId).toBe(id);
    expect((await a.native('GET', '/dialer-calendars')).json<{ data: unknown[] }>().data).toHaveLength(2);
    expect((await a.native('DELETE', `/dialer-calendars/${id}`)).statusCode).toBe(204);
    const after = await a.native('GET', `/campaigns/${campaign.json<Campaign>().id}`);
    expect(after.json<Campaign>().calendarId).toBeNull();
  });
});
