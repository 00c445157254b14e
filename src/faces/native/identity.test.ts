import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';

describe(`native API identity (${backendName})`, () => {
  let app: TestApp;
  let account: { accountId: number; apiKey: string };

  beforeAll(async () => {
    app = await createTestApp();
    account = await seedAccount(app, 'Acme');
  });
  afterAll(async () => {
    await app.close();
  });

  const inject = (options: Parameters<ReturnType<typeof injector>>[0]) => injector(app)(options);

  it('creates an account with the platform token and returns its fields', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'Globex', locale: 'fr' },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ name: 'Globex', locale: 'fr', status: 'active', settings: {} });
    expect(typeof response.json().id).toBe('number');
  });

  it('answers 401 in the native error body without credentials or with a wrong token', async () => {
    const missing = await inject({ method: 'GET', url: `/api/v1/accounts/${account.accountId}` });
    const wrong = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer('pk_not-a-real-key'),
    });

    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({
      error: {
        code: 'unauthenticated',
        message: 'Missing credentials',
        details: [],
        requestId: expect.any(String),
      },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthenticated');
  });

  it('refuses account creation to an account API key with 403', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(account.apiKey),
      payload: { name: 'Sneaky' },
    });

    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
  });

  it('answers 400 for malformed JSON and 422 with paths for wrong types', async () => {
    const malformed = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: { ...bearer(TEST_PLATFORM_TOKEN), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    const wrongType = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 42 },
    });

    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('bad_request');
    expect(wrongType.statusCode).toBe(422);
    expect(wrongType.json().error.details[0].path).toBe('body.name');
  });

  it('answers 422 for an unknown enum value', async () => {
    const response = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/api-keys`,
      headers: bearer(account.apiKey),
      payload: { name: 'k', role: 'superuser' },
    });

    expect(response.statusCode).toBe(422);
    expect(response.json().error.details[0].path).toBe('body.role');
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { name: 'x'.repeat(2 * 1024 * 1024) },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('adds a member with a password who can log in and use the token on the account', async () => {
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      // Only the platform operator creates users directly; account administrators invite.
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email: 'agent@acme.test', name: 'Ada Agent', password: 'secret-password', role: 'agent' },
    });
    const badLogin = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'agent@acme.test', password: 'wrong-password' },
    });
    const goodLogin = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'AGENT@acme.test', password: 'secret-password' },
    });
    const token = goodLogin.json().token as string;
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) });
    const keys = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/api-keys`,
      headers: bearer(token),
    });

    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ role: 'agent', email: 'agent@acme.test', name: 'Ada Agent' });
    expect(badLogin.statusCode).toBe(401);
    expect(goodLogin.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'user',
      memberships: [{ accountId: account.accountId, role: 'agent' }],
    });
    expect(me.json().user).not.toHaveProperty('passwordHash');
    expect(keys.statusCode).toBe(403);
  });

  it('stops accepting an API key once it is revoked and records last use', async () => {
    const created = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/api-keys`,
      headers: bearer(account.apiKey),
      payload: { name: 'short-lived' },
    });
    const { id, token } = created.json<{ id: number; token: string }>();
    const beforeRevoke = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(token),
    });
    const revoked = await inject({
      method: 'DELETE',
      url: `/api/v1/accounts/${account.accountId}/api-keys/${id}`,
      headers: bearer(account.apiKey),
    });
    const afterRevoke = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(token),
    });

    expect(token.startsWith(created.json().tokenPrefix)).toBe(true);
    expect(created.json()).not.toHaveProperty('tokenHash');
    expect(beforeRevoke.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect(revoked.json().lastUsedAt).not.toBeNull();
    expect(afterRevoke.statusCode).toBe(401);
  });

  it('pages the member list with a keyset cursor', async () => {
    for (const n of [1, 2, 3]) {
      await inject({
        method: 'POST',
        url: `/api/v1/accounts/${account.accountId}/members`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: { email: `pager${n}@acme.test`, name: `Pager ${n}` },
      });
    }

    const first = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/members?limit=2`,
      headers: bearer(account.apiKey),
    });
    const second = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/members?limit=2&cursor=${first.json().nextCursor}`,
      headers: bearer(account.apiKey),
    });

    const ids = [...first.json().data, ...second.json().data].map(
      (member: { userId: number }) => member.userId,
    );
    expect(first.json().data).toHaveLength(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('records domain events for account changes in the outbox', async () => {
    await inject({
      method: 'PATCH',
      url: `/api/v1/accounts/${account.accountId}`,
      headers: bearer(account.apiKey),
      payload: { name: 'Acme Renamed', settings: { timezone: 'Europe/Paris' } },
    });

    const events = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${account.accountId}/events?type=account.updated`,
      headers: bearer(account.apiKey),
    });

    expect(events.statusCode).toBe(200);
    expect(events.json().data[0]).toMatchObject({
      type: 'account.updated',
      aggregateType: 'account',
      payload: { name: 'Acme Renamed' },
      actor: { type: 'api_key' },
    });
  });
});
