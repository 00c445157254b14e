import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot platform API (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let existing: { accountId: number; apiKey: string };
  const platform = TEST_PLATFORM_TOKEN;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_PUBLIC_URL: 'https://parley.example' });
    call = chatwootCaller(app);
    existing = await seedAccount(app, 'Existing');
  });
  afterAll(async () => {
    await app.close();
  });

  async function createUser(email: string, extra: Record<string, unknown> = {}) {
    const response = await call('POST', '/platform/api/v1/users', platform, { name: 'Pat', email, ...extra });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number; access_token: string }>();
  }

  describe('accounts', () => {
    it('creates, gets, updates and deletes an account', async () => {
      const created = await call('POST', '/platform/api/v1/accounts', platform, {
        name: 'Platform Co',
        locale: 'fr',
        domain: 'platform.test',
        support_email: 'help@platform.test',
        custom_attributes: { plan_name: 'pro' },
      });
      const id = created.json<{ id: number }>().id;
      const fetched = await call('GET', `/platform/api/v1/accounts/${id}`, platform);
      const updated = await call('PATCH', `/platform/api/v1/accounts/${id}`, platform, {
        name: 'Renamed Co',
      });
      const details = await call('GET', `/api/v1/accounts/${id}`, platform);
      const deleted = await call('DELETE', `/platform/api/v1/accounts/${id}`, platform);
      const gone = await call('GET', `/platform/api/v1/accounts/${id}`, platform);

      expect(created.statusCode).toBe(200);
      expect(created.json()).toEqual({ id: expect.any(Number), name: 'Platform Co' });
      expect(fetched.json()).toEqual({ id, name: 'Platform Co' });
      expect(updated.json()).toEqual({ id, name: 'Renamed Co' });
      expect(details.json()).toMatchObject({
        locale: 'fr',
        domain: 'platform.test',
        support_email: 'help@platform.test',
        custom_attributes: { plan_name: 'pro' },
      });
      expect(deleted.statusCode).toBe(200);
      expect(gone.statusCode).toBe(404);
      expect(gone.json()).toEqual({ description: 'Account not found', errors: [] });
    });

    it('deletes an account with everything in it, keeping its users', async () => {
      const id = (await call('POST', '/platform/api/v1/accounts', platform, { name: 'Full' })).json<{
        id: number;
      }>().id;
      const user = await createUser('full@platform.test');
      await call('POST', `/platform/api/v1/accounts/${id}/account_users`, platform, {
        user_id: user.id,
        role: 'agent',
      });
      const inbox = await call('POST', `/api/v1/accounts/${id}/inboxes`, platform, {
        name: 'Inbox',
        channel: { type: 'api', webhook_url: 'https://hooks.full.test/cb' },
      });
      await call('POST', `/api/v1/accounts/${id}/inbox_members`, platform, {
        inbox_id: inbox.json().id,
        user_ids: [user.id],
      });
      await call('POST', `/api/v1/accounts/${id}/teams`, platform, { name: 'Team' });
      await call('POST', `/api/v1/accounts/${id}/canned_responses`, platform, {
        short_code: 'hi',
        content: 'Hi',
      });
      await call('POST', `/api/v1/accounts/${id}/webhooks`, platform, { url: 'https://hooks.full.test/wh' });
      await call('POST', `/api/v1/accounts/${id}/agent_bots`, platform, { name: 'Bot' });

      const deleted = await call('DELETE', `/platform/api/v1/accounts/${id}`, platform);
      const userAfter = await call('GET', `/platform/api/v1/users/${user.id}`, platform);

      expect(inbox.statusCode).toBe(200);
      expect(deleted.statusCode).toBe(200);
      expect(userAfter.statusCode).toBe(200);
      expect(userAfter.json().accounts).toEqual([]);
    });

    it('refuses a missing name and a bad status with 422', async () => {
      const noName = await call('POST', '/platform/api/v1/accounts', platform, { locale: 'en' });
      const badStatus = await call('POST', '/platform/api/v1/accounts', platform, {
        name: 'X',
        status: 'closed',
      });

      expect(noName.statusCode).toBe(422);
      expect(noName.json().errors[0].field).toBe('name');
      expect(badStatus.statusCode).toBe(422);
    });

    it('answers 401 to anything but the platform token', async () => {
      const user = await seedUser(app, {
        accountId: existing.accountId,
        role: 'administrator',
        email: 'adm@x.test',
      });

      const missing = await call('GET', `/platform/api/v1/accounts/${existing.accountId}`, undefined);
      const wrong = await call(
        'GET',
        `/platform/api/v1/accounts/${existing.accountId}`,
        'wrong-platform-token',
      );
      const apiKey = await call('POST', '/platform/api/v1/accounts', existing.apiKey, { name: 'Nope' });
      const userToken = await call('DELETE', `/platform/api/v1/accounts/${existing.accountId}`, user.token);

      expect([missing, wrong, apiKey, userToken].map((response) => response.statusCode)).toEqual([
        401, 401, 401, 401,
      ]);
      expect(apiKey.json()).toEqual({
        description: 'The platform API needs a platform app token',
        errors: [],
      });
    });
  });

  describe('account users', () => {
    it('adds, lists, re-roles and removes account users', async () => {
      const user = await createUser('member@platform.test');
      const url = `/platform/api/v1/accounts/${existing.accountId}/account_users`;

      const added = await call('POST', url, platform, { user_id: user.id, role: 'agent' });
      const promoted = await call('POST', url, platform, { user_id: user.id, role: 'administrator' });
      const listed = await call('GET', url, platform);
      const removed = await call('DELETE', url, platform, { user_id: user.id });
      const after = await call('GET', url, platform);

      expect(added.statusCode).toBe(200);
      expect(added.json()).toEqual({ account_id: existing.accountId, user_id: user.id, role: 'agent' });
      expect(promoted.json().role).toBe('administrator');
      expect(listed.json()).toContainEqual({
        account_id: existing.accountId,
        user_id: user.id,
        role: 'administrator',
      });
      expect(removed.statusCode).toBe(200);
      expect(after.json().some((row: { user_id: number }) => row.user_id === user.id)).toBe(false);
    });

    it('answers 404 for an unknown user or account and 422 for a bad role', async () => {
      const user = await createUser('member2@platform.test');
      const url = `/platform/api/v1/accounts/${existing.accountId}/account_users`;

      const noUser = await call('POST', url, platform, { user_id: 999_999, role: 'agent' });
      const noAccount = await call('POST', '/platform/api/v1/accounts/999999/account_users', platform, {
        user_id: user.id,
        role: 'agent',
      });
      const badRole = await call('POST', url, platform, { user_id: user.id, role: 'owner' });
      const notMember = await call('DELETE', url, platform, { user_id: user.id });

      expect(noUser.statusCode).toBe(404);
      expect(noAccount.statusCode).toBe(404);
      expect(badRole.statusCode).toBe(422);
      expect(notMember.statusCode).toBe(404);
    });
  });

  describe('users', () => {
    it('creates a user with an access token that works on the Chatwoot API', async () => {
      const created = await call('POST', '/platform/api/v1/users', platform, {
        name: 'Dana',
        display_name: 'D',
        email: 'dana@platform.test',
        password: 'Password2!',
        custom_attributes: { crm_id: 42 },
      });
      const user = created.json();
      await call('POST', `/platform/api/v1/accounts/${existing.accountId}/account_users`, platform, {
        user_id: user.id,
        role: 'agent',
      });
      const profile = await call('GET', '/api/v1/profile', user.access_token);

      expect(created.statusCode).toBe(200);
      expect(user).toMatchObject({
        id: expect.any(Number),
        access_token: expect.stringMatching(/^pat_/),
        name: 'Dana',
        display_name: 'D',
        available_name: 'D',
        email: 'dana@platform.test',
        confirmed: true,
        custom_attributes: { crm_id: 42 },
        accounts: [],
      });
      expect(profile.statusCode).toBe(200);
      expect(profile.json()).toMatchObject({ id: user.id, account_id: existing.accountId, role: 'agent' });
    });

    it('shows the same working access token on every read, and a new one once it is revoked', async () => {
      const user = await createUser('stable@platform.test');
      await call('POST', `/platform/api/v1/accounts/${existing.accountId}/account_users`, platform, {
        user_id: user.id,
        role: 'agent',
      });

      const again = await call('GET', `/platform/api/v1/users/${user.id}`, platform);
      const tokens = await injector(app)({
        method: 'GET',
        url: '/api/v1/me/tokens',
        headers: { authorization: `Bearer ${user.access_token}` },
      });
      const platformToken = tokens
        .json<{ data: { id: number; name: string }[] }>()
        .data.find((token) => token.name === 'platform');
      await injector(app)({
        method: 'DELETE',
        url: `/api/v1/me/tokens/${platformToken?.id}`,
        headers: { authorization: `Bearer ${user.access_token}` },
      });
      const revoked = await call('GET', '/api/v1/profile', user.access_token);
      const renewed = await call('GET', `/platform/api/v1/users/${user.id}`, platform);
      const renewedWorks = await call('GET', '/api/v1/profile', renewed.json().access_token);

      expect(again.json().access_token).toBe(user.access_token);
      expect(revoked.statusCode).toBe(401);
      expect(renewed.json().access_token).not.toBe(user.access_token);
      expect(renewedWorks.statusCode).toBe(200);
    });

    it('returns the existing user when the email is already known', async () => {
      const first = await createUser('same@platform.test');
      const second = await createUser('SAME@platform.test');

      expect(second.id).toBe(first.id);
      expect(second.access_token).toBe(first.access_token);
    });

    it('gets, updates and deletes a user', async () => {
      const user = await createUser('change@platform.test');

      const fetched = await call('GET', `/platform/api/v1/users/${user.id}`, platform);
      const updated = await call('PATCH', `/platform/api/v1/users/${user.id}`, platform, {
        name: 'Changed',
        email: 'changed@platform.test',
        custom_attributes: { tier: 'gold' },
      });
      const deleted = await call('DELETE', `/platform/api/v1/users/${user.id}`, platform);
      const gone = await call('GET', `/platform/api/v1/users/${user.id}`, platform);
      const tokenAfter = await call('GET', '/api/v1/profile', user.access_token);

      expect(fetched.json()).toMatchObject({
        id: user.id,
        email: 'change@platform.test',
        access_token: user.access_token,
      });
      expect(updated.json()).toMatchObject({
        name: 'Changed',
        email: 'changed@platform.test',
        custom_attributes: { tier: 'gold' },
      });
      expect(deleted.statusCode).toBe(200);
      expect(gone.statusCode).toBe(404);
      expect(tokenAfter.statusCode).toBe(401);
    });

    it('refuses a weak password, a taken email and a missing email with 422', async () => {
      const a = await createUser('taken1@platform.test');
      await createUser('taken2@platform.test');

      const weak = await call('POST', '/platform/api/v1/users', platform, {
        name: 'W',
        email: 'weak@platform.test',
        password: 'password',
      });
      const taken = await call('PATCH', `/platform/api/v1/users/${a.id}`, platform, {
        email: 'taken2@platform.test',
      });
      const noEmail = await call('POST', '/platform/api/v1/users', platform, { name: 'N' });

      expect(weak.statusCode).toBe(422);
      expect(weak.json().errors[0]).toMatchObject({ field: 'password', code: 'validation_failed' });
      expect(taken.statusCode).toBe(422);
      expect(taken.json().errors).toEqual([
        { field: 'email', message: 'has already been taken', code: 'validation_failed' },
      ]);
      expect(noEmail.statusCode).toBe(422);
    });

    it('issues a single-use SSO link that signs the user in once', async () => {
      const user = await createUser('sso@platform.test');
      await call('POST', `/platform/api/v1/accounts/${existing.accountId}/account_users`, platform, {
        user_id: user.id,
        role: 'agent',
      });

      const link = await call('GET', `/platform/api/v1/users/${user.id}/login`, platform);
      const url = new URL(link.json<{ url: string }>().url);
      const body = {
        email: url.searchParams.get('email'),
        ssoAuthToken: url.searchParams.get('sso_auth_token'),
      };
      const inject = injector(app);
      const first = await inject({ method: 'POST', url: '/api/v1/auth/sso', payload: body });
      const second = await inject({ method: 'POST', url: '/api/v1/auth/sso', payload: body });
      const wrongEmail = await inject({
        method: 'POST',
        url: '/api/v1/auth/sso',
        payload: { ...body, email: 'other@platform.test' },
      });
      const profile = await call('GET', '/api/v1/profile', first.json<{ token: string }>().token);

      expect(link.statusCode).toBe(200);
      expect(url.origin + url.pathname).toBe('https://parley.example/app/login');
      expect(body.email).toBe('sso@platform.test');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ token: expect.stringMatching(/^pat_/), user: { id: user.id } });
      expect(profile.json().id).toBe(user.id);
      expect(second.statusCode).toBe(401);
      expect(wrongEmail.statusCode).toBe(401);
    });

    it('refuses an SSO token issued for another user', async () => {
      const victim = await createUser('victim@platform.test');
      const attacker = await createUser('attacker@platform.test');

      const link = await call('GET', `/platform/api/v1/users/${victim.id}/login`, platform);
      const token = new URL(link.json<{ url: string }>().url).searchParams.get('sso_auth_token');
      const response = await injector(app)({
        method: 'POST',
        url: '/api/v1/auth/sso',
        payload: { email: 'attacker@platform.test', ssoAuthToken: token },
      });

      expect(attacker.id).not.toBe(victim.id);
      expect(response.statusCode).toBe(401);
    });

    it('answers 404 for the login link of an unknown user', async () => {
      const response = await call('GET', '/platform/api/v1/users/999999/login', platform);

      expect(response.statusCode).toBe(404);
    });
  });
});
