import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createUser } from '../../core/identity/users.js';
import { addMember } from '../../core/identity/members.js';
import { createAccessToken } from '../../core/identity/access-tokens.js';

type Inject = ReturnType<typeof injector>;

interface InboxDetail {
  id: number;
  name: string;
  channelType: string;
  identifier: string;
  websiteUrl: string | null;
  widgetColor: string | null;
  webhookUrl: string | null;
  createdAt: string;
}

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe(`settings: inboxes and API keys (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let agentToken: string;
  let adminToken: string;

  async function person(accountId: number, role: 'administrator' | 'agent', email: string) {
    const db = app.testDb.database.db;
    const user = await createUser(db, { name: email, email });
    await addMember(db, { accountId, userId: user.id, role }, { type: 'system' });
    return (await createAccessToken(db, { userId: user.id, name: 'test' })).token;
  }

  const inboxesOf = (accountId: number) => `/api/v1/accounts/${String(accountId)}/inboxes`;
  const keysOf = (accountId: number) => `/api/v1/accounts/${String(accountId)}/api-keys`;

  async function createInbox(token: string, payload: Record<string, unknown>, accountId = acme.accountId) {
    return inject({ method: 'POST', url: inboxesOf(accountId), headers: bearer(token), payload });
  }

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    adminToken = await person(acme.accountId, 'administrator', 'admin@acme.test');
    agentToken = await person(acme.accountId, 'agent', 'agent@acme.test');
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a web-widget inbox whose identifier is the one the client API (and the widget) use', async () => {
    const created = await createInbox(adminToken, {
      channelType: 'web_widget',
      name: '  Website  ',
      websiteUrl: 'https://www.acme.test',
      widgetColor: '#1f5fbf',
    });
    expect(created.statusCode, created.body).toBe(201);
    const inbox = created.json<InboxDetail>();
    expect(inbox).toEqual({
      id: expect.any(Number),
      name: 'Website',
      channelType: 'web_widget',
      identifier: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      websiteUrl: 'https://www.acme.test',
      widgetColor: '#1f5fbf',
      webhookUrl: null,
      greetingEnabled: false,
      greetingMessage: null,
      createdAt: expect.any(String),
    });
    // No secret leaks into the settings shape.
    expect(created.body).not.toMatch(/hmac|secret/i);

    // A visitor reaches the inbox by that identifier alone (what data-inbox-token carries).
    const visitor = await inject({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${inbox.identifier}/contacts`,
      payload: { name: 'Visitor' },
    });
    expect(visitor.statusCode, visitor.body).toBe(200);

    const shown = await inject({
      method: 'GET',
      url: `${inboxesOf(acme.accountId)}/${String(inbox.id)}`,
      headers: bearer(adminToken),
    });
    expect(shown.json()).toEqual(inbox);

    const list = await inject({ method: 'GET', url: inboxesOf(acme.accountId), headers: bearer(adminToken) });
    expect(list.json<{ data: { id: number; name: string; channelType: string }[] }>().data).toContainEqual({
      id: inbox.id,
      name: 'Website',
      channelType: 'web_widget',
    });
  });

  it('creates an API inbox with an optional callback URL, and refuses a private one', async () => {
    const created = await createInbox(adminToken, {
      channelType: 'api',
      name: 'Mobile app',
      webhookUrl: 'https://93.184.215.14/parley',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<InboxDetail>()).toMatchObject({
      channelType: 'api',
      webhookUrl: 'https://93.184.215.14/parley',
      websiteUrl: null,
    });

    const blank = await createInbox(adminToken, { channelType: 'api', name: 'No callback', webhookUrl: '' });
    expect(blank.statusCode, blank.body).toBe(201);
    expect(blank.json<InboxDetail>().webhookUrl).toBeNull();

    const internal = await createInbox(adminToken, {
      channelType: 'api',
      name: 'Sneaky',
      webhookUrl: 'http://127.0.0.1:1/x',
    });
    expect(internal.statusCode, internal.body).toBe(422);
    expect(internal.json<ErrorBody>().error.details[0]?.path).toBe('body.webhookUrl');
  });

  it.each([
    [{ channelType: 'web_widget', name: '' }, 'body.name'],
    [{ channelType: 'web_widget', name: 'x'.repeat(101) }, 'body.name'],
    [{ channelType: 'web_widget', name: 'W', websiteUrl: 'javascript:alert(1)' }, 'body.websiteUrl'],
    [{ channelType: 'web_widget', name: 'W', widgetColor: 'red' }, 'body.widgetColor'],
    [{ channelType: 'api', name: 'A', webhookUrl: 'ftp://example.test/' }, 'body.webhookUrl'],
    [{ channelType: 'email', name: 'E' }, 'body.channelType'],
    [{ channelType: 'api', name: 'A', websiteUrl: 'https://x.test' }, 'body'],
  ])('refuses %j with a 4xx naming the field', async (payload, path) => {
    const response = await createInbox(adminToken, payload);
    expect([400, 422]).toContain(response.statusCode);
    const body = response.json<ErrorBody>();
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.details.map((detail) => detail.path)).toContain(path);
  });

  it('keeps inbox settings to administrators: agents get 403 and create nothing', async () => {
    const before = await inject({
      method: 'GET',
      url: inboxesOf(acme.accountId),
      headers: bearer(adminToken),
    });
    const created = await createInbox(agentToken, { channelType: 'web_widget', name: 'By an agent' });
    expect(created.statusCode).toBe(403);
    expect(created.json<ErrorBody>().error.code).toBe('forbidden');
    const inboxId = before.json<{ data: { id: number }[] }>().data[0]?.id ?? 0;
    const shown = await inject({
      method: 'GET',
      url: `${inboxesOf(acme.accountId)}/${String(inboxId)}`,
      headers: bearer(agentToken),
    });
    expect(shown.statusCode).toBe(403);
    const removed = await inject({
      method: 'DELETE',
      url: `${inboxesOf(acme.accountId)}/${String(inboxId)}`,
      headers: bearer(agentToken),
    });
    expect(removed.statusCode).toBe(403);
    const after = await inject({
      method: 'GET',
      url: inboxesOf(acme.accountId),
      headers: bearer(adminToken),
    });
    expect(after.json()).toEqual(before.json());
  });

  it("never shows, creates in or deletes another account's inboxes", async () => {
    const own = (
      await createInbox(adminToken, { channelType: 'web_widget', name: 'Acme only' })
    ).json<InboxDetail>();
    const peek = await inject({
      method: 'GET',
      url: `${inboxesOf(globex.accountId)}/${String(own.id)}`,
      headers: bearer(globex.apiKey),
    });
    expect(peek.statusCode).toBe(404);
    expect(peek.body).not.toContain(own.identifier);
    const deleteAcross = await inject({
      method: 'DELETE',
      url: `${inboxesOf(globex.accountId)}/${String(own.id)}`,
      headers: bearer(globex.apiKey),
    });
    expect(deleteAcross.statusCode).toBe(404);
    // Acme's administrator cannot act in Globex at all.
    const intoGlobex = await createInbox(
      adminToken,
      { channelType: 'api', name: 'Intruder' },
      globex.accountId,
    );
    expect([403, 404]).toContain(intoGlobex.statusCode);
    const still = await inject({
      method: 'GET',
      url: `${inboxesOf(acme.accountId)}/${String(own.id)}`,
      headers: bearer(adminToken),
    });
    expect(still.statusCode).toBe(200);
  });

  it('deletes an inbox: it leaves the list and its identifier stops working', async () => {
    const inbox = (
      await createInbox(adminToken, { channelType: 'web_widget', name: 'Short-lived' })
    ).json<InboxDetail>();
    const removed = await inject({
      method: 'DELETE',
      url: `${inboxesOf(acme.accountId)}/${String(inbox.id)}`,
      headers: bearer(adminToken),
    });
    expect(removed.statusCode).toBe(204);
    const list = await inject({ method: 'GET', url: inboxesOf(acme.accountId), headers: bearer(adminToken) });
    expect(list.json<{ data: { id: number }[] }>().data.map((row) => row.id)).not.toContain(inbox.id);
    const visitor = await inject({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${inbox.identifier}/contacts`,
      payload: { name: 'Late visitor' },
    });
    expect(visitor.statusCode).toBe(404);
  });

  describe('API keys, as the settings screen uses them', () => {
    it('shows the secret once; the key works until revoked, then answers 401', async () => {
      const created = await inject({
        method: 'POST',
        url: keysOf(acme.accountId),
        headers: bearer(adminToken),
        payload: { name: 'CRM sync', role: 'agent' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const key = created.json<{ id: number; token: string; tokenPrefix: string; revokedAt: null }>();
      expect(key.token.startsWith(key.tokenPrefix)).toBe(true);

      // The list never carries the secret.
      const list = await inject({ method: 'GET', url: keysOf(acme.accountId), headers: bearer(adminToken) });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(key.token);
      expect(list.json<{ data: { id: number }[] }>().data.map((row) => row.id)).toContain(key.id);

      const withKey = () =>
        inject({ method: 'GET', url: inboxesOf(acme.accountId), headers: bearer(key.token) });
      expect((await withKey()).statusCode).toBe(200);

      const revoked = await inject({
        method: 'DELETE',
        url: `${keysOf(acme.accountId)}/${String(key.id)}`,
        headers: bearer(adminToken),
      });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
      expect((await withKey()).statusCode).toBe(401);
    });

    it('refuses agents (403), blank names (4xx) and other accounts (404)', async () => {
      const byAgent = await inject({
        method: 'POST',
        url: keysOf(acme.accountId),
        headers: bearer(agentToken),
        payload: { name: 'Agent key' },
      });
      expect(byAgent.statusCode).toBe(403);
      const agentList = await inject({
        method: 'GET',
        url: keysOf(acme.accountId),
        headers: bearer(agentToken),
      });
      expect(agentList.statusCode).toBe(403);

      const blank = await inject({
        method: 'POST',
        url: keysOf(acme.accountId),
        headers: bearer(adminToken),
        payload: { name: '   ' },
      });
      expect([400, 422]).toContain(blank.statusCode);
      expect(blank.json<ErrorBody>().error.details[0]?.path).toBe('body.name');

      const acmeKey = (
        await inject({
          method: 'POST',
          url: keysOf(acme.accountId),
          headers: bearer(adminToken),
          payload: { name: 'Acme key' },
        })
      ).json<{ id: number; token: string }>();
      const revokeAcross = await inject({
        method: 'DELETE',
        url: `${keysOf(globex.accountId)}/${String(acmeKey.id)}`,
        headers: bearer(globex.apiKey),
      });
      expect(revokeAcross.statusCode).toBe(404);
      const globexList = await inject({
        method: 'GET',
        url: keysOf(globex.accountId),
        headers: bearer(globex.apiKey),
      });
      expect(globexList.json<{ data: { id: number }[] }>().data.map((row) => row.id)).not.toContain(
        acmeKey.id,
      );
      // Still alive after the foreign attempt.
      const stillWorks = await inject({
        method: 'GET',
        url: inboxesOf(acme.accountId),
        headers: bearer(acmeKey.token),
      });
      expect(stillWorks.statusCode).toBe(200);
    });
  });
});
