import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { createDiabolocomTestApp, type DiabolocomTestAccount, type Inject } from './diabolocom-test-kit.js';

interface Wrapup {
  id: number;
  name: string;
  status: string;
  wrapupPath: string;
  isSystem: boolean;
  isHidden: boolean;
  unpinAfter: number | null;
}
interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  wrapups: T[];
  folders: T[];
}

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function expectSeedWrapup(body: Record<string, unknown>): void {
  expect(Object.keys(body).sort()).toEqual(
    [
      'id',
      'name',
      'status',
      'wrapupPath',
      'isSystem',
      'isHidden',
      'unpinAfter',
      'createdAt',
      'createdBy',
      'lastUpdatedAt',
      'lastUpdatedBy',
    ].sort(),
  );
  expect(Number.isInteger(body.id)).toBe(true);
  expect(['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall']).toContain(body.status);
  expect(typeof body.wrapupPath).toBe('string');
  expect(body.unpinAfter === null || Number.isInteger(body.unpinAfter)).toBe(true);
  expect(body.createdAt).toMatch(iso);
  expect(body.lastUpdatedAt).toMatch(iso);
  expect(typeof body.createdBy).toBe('string');
}

function expectSeedFolder(body: Record<string, unknown>): void {
  expect(Object.keys(body).sort()).toEqual(
    [
      'id',
      'level',
      'locked',
      'name',
      'order',
      'parentFolderId',
      'system',
      'folderPath',
      'createdBy',
      'createdAt',
      'lastUpdatedBy',
      'lastUpdatedAt',
    ].sort(),
  );
  for (const field of ['id', 'level', 'order']) expect(Number.isInteger(body[field]), field).toBe(true);
  expect(body.parentFolderId === null || Number.isInteger(body.parentFolderId)).toBe(true);
  expect(typeof body.locked).toBe('boolean');
  expect(typeof body.system).toBe('boolean');
  expect(body.createdAt).toMatch(iso);
}

describe('Diabolocom wrap-ups', () => {
  let app: TestApp;
  let inject: Inject;
  let a: DiabolocomTestAccount;
  let b: DiabolocomTestAccount;
  const ids = { root: 0, child: 0, code: 0 };

  beforeAll(async () => {
    const kit = await createDiabolocomTestApp();
    app = kit.app;
    inject = kit.inject;
    a = await kit.account('A');
    b = await kit.account('B');
    ids.root = (await a.native('POST', '/wrapup-folders', { name: 'Outbound Marketing Campaign' })).json<{
      id: number;
    }>().id;
    ids.child = (
      await a.native('POST', '/wrapup-folders', { name: 'Paris', parentFolderId: ids.root, position: 2 })
    ).json<{ id: number }>().id;
    ids.code = (
      await a.native('POST', '/wrapups', {
        name: 'Client not interested',
        status: 'nonargued',
        folderId: ids.child,
      })
    ).json<{ id: number }>().id;
  });
  afterAll(() => app.close());

  it('gets a wrap-up code in the seed shape with its folder path', async () => {
    const response = await a.call('GET', `/api/v1/account/wrapups/${ids.code}`);
    expect(response.statusCode).toBe(200);
    const body = response.json<Record<string, unknown>>();
    expectSeedWrapup(body);
    expect(body).toMatchObject({
      id: ids.code,
      name: 'Client not interested',
      status: 'nonargued',
      wrapupPath: 'Outbound Marketing Campaign/Paris',
      isSystem: false,
      isHidden: false,
      unpinAfter: null,
      createdBy: 'test',
    });
  });

  it('lists system and custom codes with the seed filters', async () => {
    const all = (await a.call('GET', '/api/v1/account/wrapups')).json<Page<Wrapup>>();
    expect(all.count).toBe(all.wrapups.length);
    all.wrapups.forEach((row) => expectSeedWrapup(row as unknown as Record<string, unknown>));
    const statuses = new Set(all.wrapups.filter((row) => row.isSystem).map((row) => row.status));
    expect(statuses).toEqual(new Set(['arguedpositive', 'argued', 'nonargued', 'unreachable', 'tocall']));
    const custom = (await a.call('GET', '/api/v1/account/wrapups?isSystem=false')).json<Page<Wrapup>>();
    expect(custom.wrapups.map((row) => row.id)).toEqual([ids.code]);
    const busy = (await a.call('GET', '/api/v1/account/wrapups?name=BUS&status=unreachable')).json<
      Page<Wrapup>
    >();
    expect(busy.wrapups.map((row) => row.name)).toEqual(['Busy']);
    expect(busy.wrapups[0]?.wrapupPath).toBe('System');
    const inFolder = await a.call(
      'GET',
      `/api/v1/account/wrapups?wrapupFolderId=${ids.child}&isHidden=false`,
    );
    expect(inFolder.json<Page<Wrapup>>().count).toBe(1);
    for (const bad of ['status=happy', 'isSystem=yes', 'page=0', 'wrapupFolderId=x']) {
      const response = await a.call('GET', `/api/v1/account/wrapups?${bad}`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json()).toMatchObject({ status: 400, error: 'error.bad.request' });
    }
  });

  it('pages codes 50 at a time with next and previous links', async () => {
    for (let index = 0; index < 45; index += 1) {
      await a.native('POST', '/wrapups', { name: `Bulk ${index}`, status: 'argued' });
    }
    const first = (await a.call('GET', '/api/v1/account/wrapups?status=argued&isSystem=false&page=1')).json<
      Page<Wrapup>
    >();
    expect(first.count).toBe(45);
    expect(first.wrapups).toHaveLength(45);
    expect(first.next).toBeNull();
    const all = (await a.call('GET', '/api/v1/account/wrapups')).json<Page<Wrapup>>();
    expect(all.wrapups).toHaveLength(50);
    expect(all.next).toBe('/diabolocom/api/v1/account/wrapups?page=2');
    const second = await inject({
      method: 'GET',
      url: all.next!,
      headers: { authorization: `Bearer ${a.apiKey}` },
    });
    const page2 = second.json<Page<Wrapup>>();
    expect(page2.wrapups).toHaveLength(all.count - 50);
    expect(page2.previous).toBe('/diabolocom/api/v1/account/wrapups?page=1');
    expect(page2.next).toBeNull();
  });

  it('lists folders (folders wins over /wrapups/{id}) with the seed fields and filters', async () => {
    const response = await a.call('GET', '/api/v1/account/wrapups/folders');
    expect(response.statusCode).toBe(200);
    const page = response.json<Page<Record<string, unknown>>>();
    page.folders.forEach(expectSeedFolder);
    expect(page.folders.map((row) => row.folderPath)).toEqual([
      'Outbound Marketing Campaign',
      'Outbound Marketing Campaign/Paris',
      'System',
    ]);
    expect(page.folders[1]).toMatchObject({ level: 1, order: 2, parentFolderId: ids.root, system: false });
    expect(page.folders[2]).toMatchObject({ level: 0, locked: true, system: true, parentFolderId: null });
    const children = (await a.call('GET', `/api/v1/account/wrapups/folders?parentFolderId=${ids.root}`)).json<
      Page<Record<string, unknown>>
    >();
    expect(children.folders.map((row) => row.name)).toEqual(['Paris']);
    const system = await a.call('GET', '/api/v1/account/wrapups/folders?isSystem=true&name=sys');
    expect(system.json()).toMatchObject({ count: 1, next: null, previous: null });
    expect((await a.call('GET', '/api/v1/account/wrapups/folders?parentFolderId=abc')).statusCode).toBe(400);
  });

  it('answers 401, 404 and 405 with the seed keys', async () => {
    const anonymous = await inject({ method: 'GET', url: '/diabolocom/api/v1/account/wrapups' });
    expect(anonymous.json()).toMatchObject({ status: 401, error: 'error.unauthorized' });
    const wrong = await inject({
      method: 'GET',
      url: '/diabolocom/api/v1/account/wrapups/folders',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    for (const path of ['/api/v1/account/wrapups/987654', '/api/v1/account/wrapups/abc']) {
      const missing = await a.call('GET', path);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ status: 404, error: 'error.wrapup.not.exists' });
    }
    const post = await a.call('POST', `/api/v1/account/wrapups/${ids.code}`, {});
    expect(post.statusCode).toBe(405);
    expect(post.json()).toMatchObject({ error: 'error.method.not.allowed' });
  });

  it("keeps account B away from A's codes and folders", async () => {
    const response = await b.call('GET', `/api/v1/account/wrapups/${ids.code}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'error.wrapup.not.exists' });
    const custom = await b.call('GET', '/api/v1/account/wrapups?isSystem=false');
    expect(custom.json()).toMatchObject({ count: 0, wrapups: [] });
    const folders = (await b.call('GET', '/api/v1/account/wrapups/folders')).json<
      Page<{ folderPath: string }>
    >();
    expect(folders.folders.map((row) => row.folderPath)).toEqual(['System']);
    const children = await b.call('GET', `/api/v1/account/wrapups/folders?parentFolderId=${ids.root}`);
    expect(children.json()).toMatchObject({ count: 0, folders: [] });
  });
});
