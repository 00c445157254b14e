import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot account and profile (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, {
      accountId: a.accountId,
      role: 'agent',
      email: 'ann@acme.test',
      name: 'Ann',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const accountUrl = (accountId: number) => `/api/v1/accounts/${accountId}`;

  it('shows the account with the seed fields', async () => {
    const response = await call('GET', accountUrl(a.accountId), agent.token);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: a.accountId,
      name: 'Acme',
      locale: 'en',
      status: 'active',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      cache_keys: {},
      features: [],
      // Nothing set: the seed types these without null, so they are left out.
      settings: {},
      custom_attributes: {},
      latest_chatwoot_version: expect.any(String),
      subscribed_features: [],
    });
  });

  it('updates name, domain, support email, auto-resolve settings and custom attributes', async () => {
    const response = await call('PATCH', accountUrl(a.accountId), a.apiKey, {
      name: 'Acme Inc',
      domain: 'acme.test',
      support_email: 'help@acme.test',
      auto_resolve_after: 1440,
      auto_resolve_message: 'Closing for inactivity',
      industry: 'Retail',
      timezone: 'Europe/Paris',
    });
    const second = await call('PATCH', accountUrl(a.accountId), a.apiKey, { company_size: '50-100' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Acme Inc',
      domain: 'acme.test',
      support_email: 'help@acme.test',
      settings: { auto_resolve_after: 1440, auto_resolve_message: 'Closing for inactivity' },
      custom_attributes: { industry: 'Retail', timezone: 'Europe/Paris' },
    });
    expect(second.json().custom_attributes).toEqual({
      industry: 'Retail',
      timezone: 'Europe/Paris',
      company_size: '50-100',
    });
  });

  it('refuses out-of-range auto_resolve_after and a bad support email with 422', async () => {
    const tooSmall = await call('PATCH', accountUrl(a.accountId), a.apiKey, { auto_resolve_after: 5 });
    const badEmail = await call('PATCH', accountUrl(a.accountId), a.apiKey, { support_email: 'nope' });
    const after = await call('GET', accountUrl(a.accountId), a.apiKey);

    expect(tooSmall.statusCode).toBe(422);
    expect(tooSmall.json().errors[0]).toMatchObject({
      field: 'auto_resolve_after',
      code: 'validation_failed',
    });
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json().errors[0].field).toBe('support_email');
    expect(after.json().settings.auto_resolve_after).toBe(1440);
  });

  it('lets only administrators update the account', async () => {
    const response = await call('PATCH', accountUrl(a.accountId), agent.token, { name: 'Hijacked' });

    expect(response.statusCode).toBe(403);
  });

  it('answers 401 without a token and 404 for another account', async () => {
    const missing = await call('GET', accountUrl(a.accountId), undefined);
    const wrong = await call('GET', accountUrl(a.accountId), 'pat_wrong');
    const other = await call('GET', accountUrl(a.accountId), b.apiKey);
    const otherUser = await call('PATCH', accountUrl(b.accountId), agent.token, { name: 'x' });

    expect(missing.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(other.statusCode).toBe(404);
    expect(otherUser.statusCode).toBe(404);
  });

  it("returns the user's profile with accounts and the presented token", async () => {
    const response = await call('GET', '/api/v1/profile', agent.token);

    expect(response.statusCode).toBe(200);
    const profile = response.json();
    expect(profile).toMatchObject({
      id: agent.userId,
      access_token: agent.token,
      account_id: a.accountId,
      available_name: 'Ann',
      name: 'Ann',
      email: 'ann@acme.test',
      role: 'agent',
      uid: 'ann@acme.test',
      provider: 'email',
      confirmed: false,
      ui_settings: {},
      custom_attributes: {},
    });
    expect(profile.accounts).toEqual([
      {
        id: a.accountId,
        name: expect.any(String),
        status: 'active',
        active_at: expect.any(String),
        role: 'agent',
        permissions: ['agent'],
        availability: 'offline',
        availability_status: 'offline',
        auto_offline: true,
        custom_role_id: null,
        custom_role: null,
      },
    ]);
  });

  it('refuses the profile to account API keys and missing tokens with 401', async () => {
    const key = await call('GET', '/api/v1/profile', a.apiKey);
    const missing = await call('GET', '/api/v1/profile', undefined);

    expect(key.statusCode).toBe(401);
    expect(key.json().description).toBe('The profile needs a user access token');
    expect(missing.statusCode).toBe(401);
  });
});
