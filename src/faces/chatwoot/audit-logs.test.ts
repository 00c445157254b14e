import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { chatwootClient, type ChatwootClient } from './conversations.test-kit.js';
import { seedUser } from './admin-test-kit.js';
import { deleteAccount } from '../../core/identity/account-deletion.js';

interface AuditLog {
  id: number;
  auditable_id: number;
  auditable_type: string;
  action: string;
  audited_changes: Record<string, unknown>;
  [field: string]: unknown;
}

describe(`Chatwoot audit logs (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let apiKey: string;
  let adminUser: { userId: number; token: string };
  let admin: ChatwootClient;
  let agent: { userId: number; token: string };
  let other: { accountId: number; apiKey: string };
  let base: string;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    ({ accountId, apiKey } = await seedAccount(app, 'Acme'));
    adminUser = await seedUser(app, { accountId, role: 'administrator', email: 'boss@acme.test' });
    agent = await seedUser(app, { accountId, role: 'agent', email: 'agent@acme.test' });
    admin = chatwootClient(app, adminUser.token);
    other = await seedAccount(app, 'Globex');
    base = `/api/v1/accounts/${accountId}`;
  });
  afterAll(async () => {
    await app.close();
  });

  function ok(response: { statusCode: number; body: string }) {
    expect(response.statusCode, response.body).toBe(200);
    return response.body ? JSON.parse(response.body) : undefined;
  }

  async function page(client: ChatwootClient, path: string, number = 1) {
    await app.parley.relay.drain();
    const response = await client.get(`${path}/audit_logs?page=${number}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{
      per_page: number;
      total_entries: number;
      current_page: number;
      audit_logs: AuditLog[];
    }>();
  }

  it('logs administrative changes, newest first, with who did what', async () => {
    const team = ok(await admin.post(`${base}/teams`, { name: 'Sales' }));
    ok(await admin.patch(`${base}/teams/${team!.id}`, { name: 'Sales EU' }));
    ok(await admin.patch(`${base}/teams/${team!.id}`, { name: 'Sales EU' }));
    ok(await admin.post(`${base}/teams/${team!.id}/team_members`, { user_ids: [agent.userId] }));
    const canned = ok(await admin.post(`${base}/canned_responses`, { short_code: 'hi', content: 'Hello' }));
    ok(await admin.delete(`${base}/canned_responses/${canned!.id}`));
    ok(await admin.patch(`${base}/agents/${agent.userId}`, { role: 'administrator' }));
    const hook = ok(
      await admin.post(`${base}/integrations/hooks`, {
        app_id: 'webhook',
        settings: { url: 'http://127.0.0.1:9/hook' },
      }),
    );

    const result = await page(admin, base);

    expect(result).toMatchObject({ per_page: 15, current_page: 1 });
    expect(
      result.audit_logs.slice(0, 7).map((log) => [log.auditable_type, log.auditable_id, log.action]),
    ).toEqual([
      ['Integrations::Hook', Number(hook!.id), 'create'],
      ['AccountUser', agent.userId, 'update'],
      ['CannedResponse', canned!.id, 'destroy'],
      ['CannedResponse', canned!.id, 'create'],
      ['Team', team!.id, 'update'],
      ['Team', team!.id, 'update'],
      ['Team', team!.id, 'create'],
    ]);
    const [hookLog, role, , , members, rename, created] = result.audit_logs;
    expect(role!.audited_changes).toEqual({ role: ['agent', 'administrator'] });
    expect(members!.audited_changes).toEqual({ member_ids: [[], [agent.userId]] });
    expect(rename!.audited_changes).toEqual({ name: ['Sales', 'Sales EU'] });
    expect(created!.audited_changes).toMatchObject({ name: 'Sales' });
    expect([created!.version, rename!.version, members!.version]).toEqual([1, 2, 3]);
    expect(hookLog).toMatchObject({
      associated_id: accountId,
      associated_type: 'Account',
      user_id: adminUser.userId,
      user_type: 'User',
      username: 'boss@acme.test',
      comment: null,
      auditable: expect.objectContaining({ id: Number(hook!.id), app_id: 'webhook' }),
    });
    expect(hookLog!.created_at).toBeTypeOf('number');
    expect(hookLog!.version).toBe(1);
  });

  it('names the API key that made a change', async () => {
    const client = chatwootClient(app, apiKey);
    ok(await client.post(`${base}/canned_responses`, { short_code: 'key', content: 'By key' }));

    const [latest] = (await page(admin, base)).audit_logs;

    expect(latest).toMatchObject({ auditable_type: 'CannedResponse', user_type: 'ApiKey', username: 'test' });
  });

  it('pages by fifteen with the total', async () => {
    const client = chatwootClient(app, apiKey);
    for (let index = 0; index < 16; index += 1) {
      ok(await client.post(`${base}/canned_responses`, { short_code: `page-${index}`, content: 'x' }));
    }

    const first = await page(admin, base, 1);
    const pages = [first];
    for (let number = 2; (number - 1) * 15 < first.total_entries; number += 1)
      pages.push(await page(admin, base, number));
    const ids = pages.flatMap((each) => each.audit_logs.map((log) => log.id));

    expect(first.total_entries).toBeGreaterThan(16);
    expect(first.audit_logs).toHaveLength(15);
    expect(pages[1]).toMatchObject({ current_page: 2, per_page: 15 });
    expect(ids).toHaveLength(first.total_entries);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await page(admin, base, pages.length + 1)).audit_logs).toEqual([]);
  });

  it('shows an account only its own log, and only to administrators', async () => {
    const otherClient = chatwootClient(app, other.apiKey);
    ok(
      await otherClient.post(`/api/v1/accounts/${other.accountId}/canned_responses`, {
        short_code: 'g',
        content: 'G',
      }),
    );

    const theirs = await page(otherClient, `/api/v1/accounts/${other.accountId}`);
    const intrusion = await otherClient.get(`${base}/audit_logs`);
    const asAgent = await chatwootClient(
      app,
      (await seedUser(app, { accountId, role: 'agent', email: 'new@acme.test' })).token,
    ).get(`${base}/audit_logs`);
    const anonymous = await injector(app)({ method: 'GET', url: `/chatwoot${base}/audit_logs` });

    expect(theirs.audit_logs.length).toBeGreaterThan(0);
    expect(theirs.audit_logs.every((log) => log.associated_id === other.accountId)).toBe(true);
    expect(intrusion.statusCode).toBe(404);
    expect(asAgent.statusCode).toBe(403);
    expect(asAgent.json().description).toBeTypeOf('string');
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a page that is not a positive number', async () => {
    for (const value of ['0', '-2', 'abc']) {
      const response = await admin.get(`${base}/audit_logs?page=${value}`);

      expect(response.statusCode).toBe(422);
      expect(response.json().errors[0].field).toBe('page');
    }
  });

  // Last in the file: it stops the background relay to hold an event back while its account goes.
  it("goes on logging every tenant's changes after an account with undispatched events is deleted", async () => {
    await app.parley.relay.stop();
    const doomed = await seedAccount(app, 'Initech');
    const doomedAdmin = await seedUser(app, {
      accountId: doomed.accountId,
      role: 'administrator',
      email: 'boss@initech.test',
    });
    ok(
      await chatwootClient(app, doomedAdmin.token).post(`/api/v1/accounts/${doomed.accountId}/teams`, {
        name: 'Gone',
      }),
    );
    await deleteAccount(app.testDb.database.db, doomed.accountId);
    ok(await admin.post(`${base}/teams`, { name: 'After the deletion' }));

    const { audit_logs } = await page(admin, base);

    expect(audit_logs[0]).toMatchObject({ auditable_type: 'Team', action: 'create' });
    expect(audit_logs[0]!.audited_changes).toMatchObject({ name: 'After the deletion' });
  });
});
