import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createUser } from '../../core/identity/users.js';
import { addMember } from '../../core/identity/members.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';

type Inject = ReturnType<typeof injector>;
interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe(`settings: teams, labels, canned responses (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let agentToken: string;

  const url = (accountId: number, path: string) => `/api/v1/accounts/${String(accountId)}${path}`;
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    payload?: object,
    token?: string,
  ) =>
    inject({
      method,
      url: url(acme.accountId, path),
      headers: bearer(token ?? acme.apiKey),
      ...(payload ? { payload: payload } : {}),
    });

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    const db = app.testDb.database.db;
    const agent = await createUser(db, { name: 'Agent', email: 'agent@catalogues.test' });
    await addMember(db, { accountId: acme.accountId, userId: agent.id, role: 'agent' }, { type: 'system' });
    agentToken = (await createAccessToken(db, { userId: agent.id, name: 'test' })).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates, renames and deletes a team; the inbox filter list follows', async () => {
    const created = await call('POST', '/teams', { name: 'Billing', description: 'Invoices' });
    expect(created.statusCode, created.body).toBe(201);
    const team = created.json<{ id: number }>();
    expect(created.json()).toEqual({ id: team.id, name: 'Billing', description: 'Invoices' });

    const duplicate = await call('POST', '/teams', { name: 'billing' });
    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json<ErrorBody>().error.details[0]?.path).toBe('body.name');

    const renamed = await call('PATCH', `/teams/${String(team.id)}`, { name: 'Accounts' });
    expect(renamed.json()).toMatchObject({ name: 'Accounts', description: 'Invoices' });
    const list = await call('GET', '/teams', undefined, agentToken);
    expect(list.json<{ data: unknown[] }>().data).toContainEqual({ id: team.id, name: 'Accounts' });

    expect((await call('DELETE', `/teams/${String(team.id)}`)).statusCode).toBe(204);
    const after = await call('GET', '/teams');
    expect(after.json<{ data: { id: number }[] }>().data.map((row) => row.id)).not.toContain(team.id);
    expect((await call('DELETE', `/teams/${String(team.id)}`)).statusCode).toBe(404);
  });

  it('adds a label, refuses a duplicate title, and deactivates it (it leaves the pickers, stays in the catalogue)', async () => {
    const created = await call('POST', '/labels', { title: 'vip', color: '#c2185b' });
    expect(created.statusCode, created.body).toBe(201);
    const label = created.json<{ id: number }>();
    expect(created.json()).toEqual({
      id: label.id,
      title: 'vip',
      color: '#c2185b',
      description: null,
      state: 'active',
    });
    const duplicate = await call('POST', '/labels', { title: 'VIP' });
    expect(duplicate.statusCode).toBe(409);

    const off = await call('PATCH', `/labels/${String(label.id)}`, { state: 'inactive' });
    expect(off.json()).toMatchObject({ state: 'inactive' });
    const picker = await call('GET', '/labels');
    expect(picker.json<{ data: { id: number }[] }>().data.map((row) => row.id)).not.toContain(label.id);
    const catalogue = await call('GET', '/label-catalogue');
    expect(catalogue.json<{ data: { id: number; state: string }[] }>().data).toContainEqual(
      expect.objectContaining({ id: label.id, state: 'inactive' }),
    );
    const on = await call('PATCH', `/labels/${String(label.id)}`, { state: 'active' });
    expect(on.json()).toMatchObject({ state: 'active' });
  });

  it('creates, edits and deletes a canned response; a taken short code names body.shortCode', async () => {
    const created = await call('POST', '/canned-responses', { shortCode: 'thanks', content: 'Thank you!' });
    expect(created.statusCode, created.body).toBe(201);
    const canned = created.json<{ id: number }>();
    expect(created.json()).toEqual({ id: canned.id, shortCode: 'thanks', content: 'Thank you!' });

    const taken = await call('POST', '/canned-responses', { shortCode: 'thanks', content: 'Again' });
    expect(taken.statusCode).toBe(422);
    expect(taken.json<ErrorBody>().error.details[0]?.path).toBe('body.shortCode');

    const edited = await call('PATCH', `/canned-responses/${String(canned.id)}`, { content: 'Many thanks!' });
    expect(edited.json()).toEqual({ id: canned.id, shortCode: 'thanks', content: 'Many thanks!' });
    const search = await call('GET', '/canned-responses?q=thanks', undefined, agentToken);
    expect(search.json<{ data: unknown[] }>().data).toContainEqual(edited.json());

    expect((await call('DELETE', `/canned-responses/${String(canned.id)}`)).statusCode).toBe(204);
    const gone = await call('GET', '/canned-responses?q=thanks');
    expect(gone.json<{ data: unknown[] }>().data).toEqual([]);
  });

  it.each([
    ['POST', '/teams', { name: '' }, 'body.name'],
    ['POST', '/teams', { name: 'T', colour: 'red' }, 'body'],
    ['POST', '/labels', { title: '   ' }, 'body.title'],
    ['POST', '/labels', { title: 'ok', color: 'blue' }, 'body.color'],
    ['POST', '/canned-responses', { shortCode: 'two words', content: 'x' }, 'body.shortCode'],
    ['POST', '/canned-responses', { shortCode: 'x', content: '' }, 'body.content'],
  ] as const)('%s %s %j is a 4xx naming %s', async (method, path, payload, field) => {
    const response = await call(method, path, payload);
    expect([400, 422]).toContain(response.statusCode);
    expect(response.json<ErrorBody>().error.details.map((detail) => detail.path)).toContain(field);
  });

  it('keeps every catalogue write to administrators (agents 403, nothing created)', async () => {
    const attempts = await Promise.all([
      call('POST', '/teams', { name: 'Agent team' }, agentToken),
      call('POST', '/labels', { title: 'agent-label' }, agentToken),
      call('POST', '/canned-responses', { shortCode: 'agent', content: 'x' }, agentToken),
      call('GET', '/label-catalogue', undefined, agentToken),
    ]);
    expect(attempts.map((response) => response.statusCode)).toEqual([403, 403, 403, 403]);
    const teams = await call('GET', '/teams');
    expect(JSON.stringify(teams.json())).not.toContain('Agent team');
    const canned = await call('GET', '/canned-responses?q=agent');
    expect(canned.json<{ data: unknown[] }>().data).toEqual([]);
  });

  it("never touches another account's teams, labels or canned responses", async () => {
    const team = (await call('POST', '/teams', { name: 'Acme team' })).json<{ id: number }>();
    const label = (await call('POST', '/labels', { title: 'acme-only' })).json<{ id: number }>();
    const canned = (await call('POST', '/canned-responses', { shortCode: 'acme', content: 'Acme' })).json<{
      id: number;
    }>();
    const foreign = (method: 'PATCH' | 'DELETE', path: string, payload?: object) =>
      inject({
        method,
        url: url(globex.accountId, path),
        headers: bearer(globex.apiKey),
        ...(payload ? { payload: payload } : {}),
      });
    const answers = await Promise.all([
      foreign('PATCH', `/teams/${String(team.id)}`, { name: 'Stolen' }),
      foreign('DELETE', `/teams/${String(team.id)}`),
      foreign('PATCH', `/labels/${String(label.id)}`, { state: 'inactive' }),
      foreign('PATCH', `/canned-responses/${String(canned.id)}`, { content: 'Stolen' }),
      foreign('DELETE', `/canned-responses/${String(canned.id)}`),
    ]);
    expect(answers.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 404]);
    const globexCatalogue = await inject({
      method: 'GET',
      url: url(globex.accountId, '/label-catalogue'),
      headers: bearer(globex.apiKey),
    });
    expect(globexCatalogue.json()).toEqual({ data: [] });
    expect((await call('GET', '/teams')).json<{ data: { name: string }[] }>().data).toContainEqual({
      id: team.id,
      name: 'Acme team',
    });
    const stillThere = await call('GET', '/canned-responses?q=acme');
    expect(stillThere.json<{ data: unknown[] }>().data).toEqual([
      { id: canned.id, shortCode: 'acme', content: 'Acme' },
    ]);
  });
});
