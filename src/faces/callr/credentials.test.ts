import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { apiSessions } from '../../core/identity/sessions.tables.js';
import { hashSecret } from '../../platform/auth/secrets.js';
import { parseCallrDateTime } from './formats.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';

interface ApiKey {
  created_at: string;
  id: string;
  last_used_at: string;
  name: string;
  updated_at: string;
  key?: string;
}
interface Session {
  refresh_token: string;
  refreshable_until: string;
  token: string;
  valid_until: string;
}

const dateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const basic = (login: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`,
});
const apiKeyAuth = (key: string) => ({ authorization: `Api-Key ${key}` });
const sessionAuth = (token: string) => ({ authorization: `Session ${token}` });

function secondsFromNow(value: string): number {
  const date = parseCallrDateTime(value);
  if (!date) throw new Error(`not a datetime: ${value}`);
  return (date.getTime() - Date.now()) / 1000;
}

describe(`CALLR credentials: api-key.* and session.* (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: CallrTestAccount;
  let globex: CallrTestAccount;

  async function addMember(accountId: number, email: string, role: 'administrator' | 'agent') {
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: { email, name: email.split('@')[0], password: `${email}-password`, role },
    });
    expect(added.statusCode, added.body).toBe(201);
    return { headers: basic(email, `${email}-password`), userId: added.json<{ userId: number }>().userId };
  }

  async function call<T>(method: string, params: unknown[], headers: Record<string, string>) {
    const answer = await postRpc<T>(inject, method, params, headers);
    if (answer.error) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
    return answer.result as T;
  }

  async function errorOf(method: string, params: unknown[], headers: Record<string, string>) {
    const answer = await postRpc(inject, method, params, headers);
    if (!answer.error) throw new Error(`${method} should have failed: ${JSON.stringify(answer.result)}`);
    return answer.error;
  }

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    acme = await kit.account('Acme');
    globex = await kit.account('Globex');
  });
  afterAll(async () => {
    await app.close();
  });

  describe('api-key', () => {
    it('creates a key that authenticates at once, shows its secret once and lists it without', async () => {
      const created = await acme.result<ApiKey>('api-key.create', ['integration']);
      expect(Object.keys(created).sort()).toEqual([
        'created_at',
        'id',
        'key',
        'last_used_at',
        'name',
        'updated_at',
      ]);
      expect(created).toMatchObject({ name: 'integration', last_used_at: '' });
      expect(created.id).toMatch(/^[0-9A-F]{8}$/);
      expect(created.created_at).toMatch(dateTime);
      expect(created.updated_at).toBe(created.created_at);
      expect(Math.abs(secondsFromNow(created.created_at))).toBeLessThan(10);
      const key = created.key ?? '';
      expect(key).toMatch(/^pk_/);

      expect(typeof (await call<number>('system.get_timestamp', [], apiKeyAuth(key)))).toBe('number');
      // The SDK's form: any login, the key as password.
      expect(typeof (await call<number>('system.get_timestamp', [], basic('acme', key)))).toBe('number');

      const keys = await acme.result<ApiKey[]>('api-key.all');
      const listed = keys.find((entry) => entry.id === created.id);
      expect(listed && Object.keys(listed).sort()).toEqual([
        'created_at',
        'id',
        'last_used_at',
        'name',
        'updated_at',
      ]);
      expect(listed?.last_used_at).toMatch(dateTime);
      expect(JSON.stringify(keys)).not.toContain(key);
      // Another account sees none of Acme's keys.
      const globexKeys = await globex.result<ApiKey[]>('api-key.all');
      expect(globexKeys.map((entry) => entry.id)).not.toContain(created.id);
    });

    it('deletes a key: it stops authenticating and leaves the list; twice is not found', async () => {
      const created = await acme.result<ApiKey>('api-key.create', ['short-lived']);
      const key = created.key ?? '';
      expect(await acme.result('api-key.delete', [created.id])).toBe(true);
      expect((await errorOf('system.get_timestamp', [], apiKeyAuth(key))).code).toBe(-32001);
      expect((await acme.result<ApiKey[]>('api-key.all')).map((entry) => entry.id)).not.toContain(created.id);
      expect((await acme.error('api-key.delete', [created.id])).code).toBe(-32004);
    });

    it("answers not found for another account's key and leaves it working", async () => {
      const globexKey = await globex.result<ApiKey>('api-key.create', ['globex-only']);
      expect((await acme.error('api-key.delete', [globexKey.id])).code).toBe(-32004);
      expect(typeof (await call<number>('system.get_timestamp', [], apiKeyAuth(globexKey.key ?? '')))).toBe(
        'number',
      );
    });

    it('refuses bad params with -32602 naming the param', async () => {
      const badName = await acme.error('api-key.create', ['']);
      expect(badName).toMatchObject({ code: -32602 });
      expect(badName.message).toMatch(/'name'/);
      const badId = await acme.error('api-key.delete', ['not-a-hash']);
      expect(badId).toMatchObject({ code: -32602 });
      expect(badId.message).toMatch(/'id'/);
    });

    it('lets only administrators create or delete keys', async () => {
      const agent = (await addMember(acme.accountId, 'agent@acme.test', 'agent')).headers;
      expect((await errorOf('api-key.create', ['mine'], agent)).code).toBe(-32003);
      const admin = await acme.result<ApiKey>('api-key.create', ['admins']);
      expect((await errorOf('api-key.delete', [admin.id], agent)).code).toBe(-32003);
      // Reading the list is not management.
      expect(Array.isArray(await call('api-key.all', [], agent))).toBe(true);
    });
  });

  describe('session', () => {
    it('opens a one-hour session, refreshable for a day, that authenticates as its API key', async () => {
      const session = await acme.result<Session>('session.create');
      expect(session.token).toMatch(/^cs_/);
      expect(session.refresh_token).toMatch(/^csr_/);
      expect(session.valid_until).toMatch(dateTime);
      expect(session.refreshable_until).toMatch(dateTime);
      expect(Math.abs(secondsFromNow(session.valid_until) - 3600)).toBeLessThan(10);
      expect(Math.abs(secondsFromNow(session.refreshable_until) - 86_400)).toBeLessThan(10);

      // Acting in Acme's account: it sees Acme's keys.
      const viaSession = await call<ApiKey[]>('api-key.all', [], sessionAuth(session.token));
      expect(viaSession).toEqual(await acme.result<ApiKey[]>('api-key.all'));

      const listed = await call<Session[]>('session.all', [], sessionAuth(session.token));
      expect(listed).toContainEqual({
        refresh_token: '',
        refreshable_until: session.refreshable_until,
        token: session.token.slice(0, 10),
        valid_until: session.valid_until,
      });
      expect(await globex.result<Session[]>('session.all')).toEqual([]);
    });

    it('opens a session for a user with a password, acting as that user', async () => {
      const admin = (await addMember(acme.accountId, 'admin@acme.test', 'administrator')).headers;
      const session = await call<Session>('session.create', [], admin);
      const key = await call<ApiKey>('api-key.create', ['from-session'], sessionAuth(session.token));
      expect(key.name).toBe('from-session');
      expect((await acme.result<ApiKey[]>('api-key.all')).map((entry) => entry.id)).toContain(key.id);
      // The user's sessions are the user's, not the account key's.
      const userSessions = await call<Session[]>('session.all', [], admin);
      expect(userSessions.map((entry) => entry.token)).toEqual([session.token.slice(0, 10)]);
    });

    it('refreshes into a new pair and retires the old one', async () => {
      const first = await acme.result<Session>('session.create');
      const second = await acme.result<Session>('session.refresh', [first.refresh_token]);
      expect(second.token).not.toBe(first.token);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(second.token)))).toBe(
        'number',
      );
      expect((await errorOf('system.get_timestamp', [], sessionAuth(first.token))).code).toBe(-32001);
      expect((await acme.error('session.refresh', [first.refresh_token])).code).toBe(-32004);
      // Another account cannot refresh Acme's session.
      expect((await globex.error('session.refresh', [second.refresh_token])).code).toBe(-32004);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(second.token)))).toBe(
        'number',
      );
    });

    it('refreshes with the refresh token alone once the session token expired (no Authorization)', async () => {
      const session = await acme.result<Session>('session.create');
      await app.parley.ctx.db
        .update(apiSessions)
        .set({ validUntil: sql`now() - interval '1 second'` })
        .where(eq(apiSessions.tokenHash, hashSecret(session.token)));
      expect((await errorOf('system.get_timestamp', [], sessionAuth(session.token))).code).toBe(-32001);

      const renewed = await call<Session>('session.refresh', [session.refresh_token], {});
      expect(renewed.token).toMatch(/^cs_/);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(renewed.token)))).toBe(
        'number',
      );
      // The published SDK sends only Basic: the session token works as the password.
      const basicSession = `Basic ${Buffer.from(`anyone:${renewed.token}`).toString('base64')}`;
      expect(typeof (await call<number>('system.get_timestamp', [], { authorization: basicSession }))).toBe(
        'number',
      );
      // Only this method is public: any other without credentials is still refused.
      expect((await errorOf('session.all', [], {})).code).toBe(-32001);
      expect((await errorOf('session.refresh', ['csr_unknown'], {})).code).toBe(-32004);
    });

    it('stops authenticating when the token expires, and can no longer refresh after refreshable_until', async () => {
      const session = await acme.result<Session>('session.create');
      const db = app.parley.ctx.db;
      await db
        .update(apiSessions)
        .set({ validUntil: sql`now() - interval '1 second'` })
        .where(eq(apiSessions.tokenHash, hashSecret(session.token)));
      const expired = await errorOf('system.get_timestamp', [], sessionAuth(session.token));
      expect(expired.code).toBe(-32001);
      const renewed = await acme.result<Session>('session.refresh', [session.refresh_token]);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(renewed.token)))).toBe(
        'number',
      );

      await db
        .update(apiSessions)
        .set({ refreshableUntil: sql`now() - interval '1 second'` })
        .where(eq(apiSessions.tokenHash, hashSecret(renewed.token)));
      expect((await acme.error('session.refresh', [renewed.refresh_token])).code).toBe(-32004);
      expect((await acme.result<Session[]>('session.all')).map((entry) => entry.token)).not.toContain(
        renewed.token.slice(0, 10),
      );
    });

    it('session.delete with a Session header ends that session only; with a key, all of its sessions', async () => {
      const kept = await globex.result<Session>('session.create');
      const ended = await globex.result<Session>('session.create');
      expect(await call('session.delete', [], sessionAuth(ended.token))).toBe(true);
      expect((await errorOf('system.get_timestamp', [], sessionAuth(ended.token))).code).toBe(-32001);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(kept.token)))).toBe('number');

      expect(await globex.result('session.delete')).toBe(true);
      expect((await errorOf('system.get_timestamp', [], sessionAuth(kept.token))).code).toBe(-32001);
      expect(await globex.result<Session[]>('session.all')).toEqual([]);
    });

    it("ends with its user's membership of the account", async () => {
      const { headers: leaver, userId } = await addMember(globex.accountId, 'leaver@globex.test', 'agent');
      const session = await call<Session>('session.create', [], leaver);
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(session.token)))).toBe(
        'number',
      );
      const removed = await inject({
        method: 'DELETE',
        url: `/api/v1/accounts/${globex.accountId}/members/${userId}`,
        headers: bearer(TEST_PLATFORM_TOKEN),
      });
      expect(removed.statusCode, removed.body).toBe(204);
      expect((await errorOf('system.get_timestamp', [], sessionAuth(session.token))).code).toBe(-32001);
    });

    it("ends with its API key: revoking the key stops the key's sessions", async () => {
      const key = await acme.result<ApiKey>('api-key.create', ['session-owner']);
      const session = await call<Session>('session.create', [], apiKeyAuth(key.key ?? ''));
      expect(typeof (await call<number>('system.get_timestamp', [], sessionAuth(session.token)))).toBe(
        'number',
      );
      await acme.result('api-key.delete', [key.id]);
      expect((await errorOf('system.get_timestamp', [], sessionAuth(session.token))).code).toBe(-32001);
    });

    it('refuses unknown tokens and sessions opened under CALLR-Login-As', async () => {
      expect((await errorOf('system.get_timestamp', [], sessionAuth('cs_nothing'))).code).toBe(-32001);
      expect((await errorOf('system.get_timestamp', [], sessionAuth(acme.apiKey))).code).toBe(-32001);
      const answer = await acme.rpc('session.create', [], { 'callr-login-as': 'account.hash 00000000' });
      expect(answer.error?.code).toBeLessThan(0);
      expect(answer.result).toBeUndefined();
    });
  });
});
