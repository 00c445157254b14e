import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { accountUsers } from '../../core/identity/identity.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

/** Fields that differ between any two invited agents, whoever they are. */
function withoutIdAndEmail(agent: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, email: _email, ...rest } = agent;
  return rest;
}

describe(`Chatwoot agents are invited, not enrolled (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let victim: { userId: number; token: string };
  const agentsUrl = (accountId: number) => `/api/v1/accounts/${accountId}/agents`;

  async function isMember(accountId: number, userId: number): Promise<boolean> {
    const rows = await app.testDb.database.db
      .select()
      .from(accountUsers)
      .where(and(eq(accountUsers.accountId, accountId), eq(accountUsers.userId, userId)));
    return rows.length > 0;
  }

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    victim = await seedUser(app, {
      accountId: b.accountId,
      role: 'agent',
      email: 'victim@globex.test',
      name: 'Victor Victim',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it("answers alike for another account's user and a new email, enrolling neither and naming nobody", async () => {
    const known = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Typed',
      email: 'victim@globex.test',
      role: 'agent',
    });
    const unknown = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Typed',
      email: 'nobody@globex.test',
      role: 'agent',
    });
    const modjo = await injector(app)({
      method: 'GET',
      url: '/modjo/v1/users?page=1&perPage=10',
      headers: { 'x-api-key': victim.token },
    });

    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    expect(withoutIdAndEmail(known.json())).toEqual(withoutIdAndEmail(unknown.json()));
    expect(withoutIdAndEmail(known.json())).toEqual({
      account_id: a.accountId,
      availability_status: 'offline',
      auto_offline: true,
      confirmed: false,
      available_name: 'Typed',
      name: 'Typed',
      role: 'agent',
      thumbnail: '',
    });
    expect(known.json().id).not.toBe(victim.userId);
    expect(known.body).not.toContain('Victor Victim');
    expect(await isMember(a.accountId, victim.userId)).toBe(false);
    expect(modjo.statusCode, modjo.body).toBe(200);
  });

  it('enrols the invited user once they accept, under their own id', async () => {
    const invited = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Typed',
      email: 'victim@globex.test',
      role: 'agent',
    });

    const accepted = await injector(app)({
      method: 'POST',
      url: `/api/v1/invitations/${invited.json().id}/accept`,
      headers: bearer(victim.token),
    });
    const list = await call('GET', agentsUrl(a.accountId), a.apiKey);
    const ids = list.json().map((row: { id: number }) => row.id);

    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(ids).toContain(victim.userId);
    expect(ids).not.toContain(invited.json().id);
    const removed = await call('DELETE', `${agentsUrl(a.accountId)}/${victim.userId}`, a.apiKey);
    expect(removed.statusCode).toBe(200);
  });

  it('updates and withdraws a pending invitation through the agent paths, only in its own account', async () => {
    const invited = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Pending',
      email: 'pending@acme.test',
      role: 'agent',
    });
    const id = invited.json<{ id: number }>().id;

    const foreignPatch = await call('PATCH', `${agentsUrl(b.accountId)}/${id}`, b.apiKey, {
      role: 'administrator',
    });
    const foreignDelete = await call('DELETE', `${agentsUrl(b.accountId)}/${id}`, b.apiKey);
    const patched = await call('PATCH', `${agentsUrl(a.accountId)}/${id}`, a.apiKey, {
      role: 'administrator',
      availability_status: 'busy',
    });
    const withdrawn = await call('DELETE', `${agentsUrl(a.accountId)}/${id}`, a.apiKey);
    const again = await call('DELETE', `${agentsUrl(a.accountId)}/${id}`, a.apiKey);
    const list = await call('GET', agentsUrl(a.accountId), a.apiKey);

    expect(foreignPatch.statusCode).toBe(404);
    expect(foreignDelete.statusCode).toBe(404);
    expect(patched.json()).toMatchObject({
      id,
      role: 'administrator',
      availability_status: 'busy',
      confirmed: false,
    });
    expect(withdrawn.statusCode).toBe(200);
    expect(again.statusCode).toBe(404);
    expect(list.json().some((row: { id: number }) => row.id === id)).toBe(false);
  });

  it('keeps the last administrator: no removal, no demotion', async () => {
    const account = await seedAccount(app, 'Solo');
    const boss = await seedUser(app, {
      accountId: account.accountId,
      role: 'administrator',
      email: 'boss@solo.test',
    });

    const removed = await call('DELETE', `${agentsUrl(account.accountId)}/${boss.userId}`, account.apiKey);
    const demoted = await call('PATCH', `${agentsUrl(account.accountId)}/${boss.userId}`, account.apiKey, {
      role: 'agent',
    });

    expect(removed.statusCode).toBe(409);
    expect(removed.json()).toEqual({
      description:
        'This is the last administrator of the account; make another member an administrator first',
      errors: [],
    });
    expect(demoted.statusCode).toBe(409);
    expect(await isMember(account.accountId, boss.userId)).toBe(true);
  });

  it('lets the platform API still add an existing user to an account directly', async () => {
    const account = await seedAccount(app, 'Operated');

    const added = await injector(app)({
      method: 'POST',
      url: `/chatwoot/platform/api/v1/accounts/${account.accountId}/account_users`,
      headers: { api_access_token: TEST_PLATFORM_TOKEN },
      payload: { user_id: victim.userId, role: 'agent' },
    });

    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toEqual({ account_id: account.accountId, user_id: victim.userId, role: 'agent' });
    expect(await isMember(account.accountId, victim.userId)).toBe(true);
  });
});
