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
interface Attribute {
  id: number;
  key: string;
  model: string;
  values: string[];
}

describe(`settings: custom attributes (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let agentToken: string;

  const url = (accountId: number, path = '') =>
    `/api/v1/accounts/${String(accountId)}/custom-attributes${path}`;
  const create = (payload: Record<string, unknown>, token = acme.apiKey) =>
    inject({ method: 'POST', url: url(acme.accountId), headers: bearer(token), payload });

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    const db = app.testDb.database.db;
    const agent = await createUser(db, { name: 'Agent', email: 'agent@attributes.test' });
    await addMember(db, { accountId: acme.accountId, userId: agent.id, role: 'agent' }, { type: 'system' });
    agentToken = (await createAccessToken(db, { userId: agent.id, name: 'test' })).token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('defines a list attribute that then governs contact values', async () => {
    const created = await create({
      model: 'contact',
      key: 'plan',
      displayName: 'Plan',
      displayType: 'list',
      values: ['free', 'pro'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      model: 'contact',
      key: 'plan',
      displayName: 'Plan',
      displayType: 'list',
      description: null,
      values: ['free', 'pro'],
      createdAt: expect.any(String),
    });

    // The definition is enforced where values are written (here: the Chatwoot face's contacts).
    const refused = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${String(acme.accountId)}/contacts`,
      headers: { api_access_token: acme.apiKey },
      payload: { name: 'Zed', email: 'zed@example.test', custom_attributes: { plan: 'enterprise' } },
    });
    expect(refused.statusCode).toBe(422);

    // Agents read the definitions (panels label values with them) but cannot change them.
    const read = await inject({ method: 'GET', url: url(acme.accountId), headers: bearer(agentToken) });
    expect(read.json<{ data: Attribute[] }>().data.map((row) => row.key)).toContain('plan');
  });

  it.each([
    [{ model: 'contact', key: 'has space', displayName: 'X', displayType: 'text' }, 'body.key'],
    [{ model: 'contact', key: 'empty_list', displayName: 'X', displayType: 'list' }, 'body.values'],
    [{ model: 'deal', key: 'k', displayName: 'X', displayType: 'text' }, 'body.model'],
    [{ model: 'contact', key: 'k', displayName: '', displayType: 'text' }, 'body.displayName'],
    [{ model: 'contact', key: 'k', displayName: 'X', displayType: 'colour' }, 'body.displayType'],
    [{ model: 'contact', key: 'plan', displayName: 'Again', displayType: 'text' }, 'body.key'],
  ])('refuses %j with a 4xx naming %s', async (payload, path) => {
    const response = await create(payload);
    expect([400, 422]).toContain(response.statusCode);
    expect(response.json<ErrorBody>().error.details.map((detail) => detail.path)).toContain(path);
  });

  it('allows the same key on the other model, renames, and deletes', async () => {
    const created = await create({
      model: 'conversation',
      key: 'plan',
      displayName: 'Plan',
      displayType: 'text',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Attribute>().id;
    const renamed = await inject({
      method: 'PATCH',
      url: url(acme.accountId, `/${String(id)}`),
      headers: bearer(acme.apiKey),
      payload: { displayName: 'Subscription plan', description: 'From billing' },
    });
    expect(renamed.json()).toMatchObject({ displayName: 'Subscription plan', description: 'From billing' });
    const removed = await inject({
      method: 'DELETE',
      url: url(acme.accountId, `/${String(id)}`),
      headers: bearer(acme.apiKey),
    });
    expect(removed.statusCode).toBe(204);
    const list = await inject({
      method: 'GET',
      url: `${url(acme.accountId)}?model=conversation`,
      headers: bearer(acme.apiKey),
    });
    expect(list.json()).toEqual({ data: [] });
  });

  it('keeps writes to administrators and each account to its own definitions', async () => {
    const byAgent = await create(
      { model: 'contact', key: 'agent_made', displayName: 'A', displayType: 'text' },
      agentToken,
    );
    expect(byAgent.statusCode).toBe(403);

    const own = (
      await create({ model: 'contact', key: 'tier', displayName: 'Tier', displayType: 'text' })
    ).json<Attribute>();
    const foreign = await Promise.all([
      inject({
        method: 'PATCH',
        url: url(globex.accountId, `/${String(own.id)}`),
        headers: bearer(globex.apiKey),
        payload: { displayName: 'Stolen' },
      }),
      inject({
        method: 'DELETE',
        url: url(globex.accountId, `/${String(own.id)}`),
        headers: bearer(globex.apiKey),
      }),
    ]);
    expect(foreign.map((response) => response.statusCode)).toEqual([404, 404]);
    const globexList = await inject({
      method: 'GET',
      url: url(globex.accountId),
      headers: bearer(globex.apiKey),
    });
    expect(globexList.json()).toEqual({ data: [] });
    const acmeList = await inject({ method: 'GET', url: url(acme.accountId), headers: bearer(acme.apiKey) });
    expect(acmeList.json<{ data: Attribute[] }>().data.map((row) => row.key)).toContain('tier');
    expect(JSON.stringify(acmeList.json())).not.toContain('agent_made');
  });
});
