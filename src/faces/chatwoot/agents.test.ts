import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';

describe(`Chatwoot agents (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let admin: { userId: number; token: string };

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    agent = await seedUser(app, {
      accountId: a.accountId,
      role: 'agent',
      email: 'agent@acme.test',
      name: 'Ann',
    });
    admin = await seedUser(app, { accountId: a.accountId, role: 'administrator', email: 'boss@acme.test' });
  });
  afterAll(async () => {
    await app.close();
  });

  const agentsUrl = (accountId: number) => `/api/v1/accounts/${accountId}/agents`;

  it('lists agents with the seed fields and types', async () => {
    const response = await call('GET', agentsUrl(a.accountId), agent.token);

    expect(response.statusCode).toBe(200);
    const ann = response.json().find((row: { id: number }) => row.id === agent.userId);
    expect(ann).toEqual({
      id: agent.userId,
      account_id: a.accountId,
      availability_status: 'offline',
      auto_offline: true,
      confirmed: false,
      email: 'agent@acme.test',
      available_name: 'Ann',
      name: 'Ann',
      role: 'agent',
      thumbnail: '',
    });
  });

  it('invites a new email as an unconfirmed agent, listed with its role and availability until they answer', async () => {
    const response = await call('POST', agentsUrl(a.accountId), admin.token, {
      name: 'Bea',
      email: 'bea@acme.test',
      role: 'administrator',
      availability_status: 'available',
      auto_offline: false,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Bea',
      email: 'bea@acme.test',
      role: 'administrator',
      availability_status: 'available',
      auto_offline: false,
      confirmed: false,
      account_id: a.accountId,
    });
    const list = await call('GET', agentsUrl(a.accountId), a.apiKey);
    expect(list.json()).toContainEqual(response.json());
    // Nobody is created or enrolled until the invited person accepts.
    const created = await app.testDb.database.db.select().from(users).where(eq(users.email, 'bea@acme.test'));
    expect(created).toEqual([]);
  });

  it('invites an existing user of another account without enrolling them or showing their profile', async () => {
    const globex = await seedUser(app, {
      accountId: b.accountId,
      role: 'agent',
      email: 'shared@globex.test',
      name: 'Real Globex Name',
    });

    const response = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Typed',
      email: 'SHARED@globex.test',
      role: 'agent',
    });

    expect(response.statusCode).toBe(200);
    expect(response.json().id).not.toBe(globex.userId);
    expect(response.json()).toMatchObject({ name: 'Typed', email: 'shared@globex.test', confirmed: false });
    expect(response.body).not.toContain('Real Globex Name');
    const list = await call('GET', agentsUrl(a.accountId), a.apiKey);
    expect(list.json().some((row: { id: number }) => row.id === globex.userId)).toBe(false);
  });

  it('refuses a duplicate, a bad email and a bad role with 422', async () => {
    const duplicate = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Ann again',
      email: 'agent@acme.test',
      role: 'agent',
    });
    const badEmail = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'X',
      email: 'nope',
      role: 'agent',
    });
    const badRole = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'X',
      email: 'x@acme.test',
      role: 'owner',
    });

    expect(duplicate.statusCode).toBe(422);
    expect(duplicate.json().errors).toEqual([
      { field: 'email', message: 'has already been taken', code: 'validation_failed' },
    ]);
    expect(badEmail.statusCode).toBe(422);
    expect(badEmail.json().errors[0].field).toBe('email');
    expect(badRole.statusCode).toBe(422);
    expect(badRole.json().errors[0].field).toBe('role');
  });

  it("updates a pending invitation's role, availability and auto_offline", async () => {
    const created = await call('POST', agentsUrl(a.accountId), a.apiKey, {
      name: 'Cy',
      email: 'cy@acme.test',
      role: 'agent',
    });

    const response = await call('PATCH', `${agentsUrl(a.accountId)}/${created.json().id}`, a.apiKey, {
      role: 'administrator',
      availability_status: 'busy',
      auto_offline: false,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      role: 'administrator',
      availability_status: 'busy',
      auto_offline: false,
    });
  });

  it('removes an agent from the account and from its inboxes', async () => {
    const { userId } = await seedUser(app, { accountId: a.accountId, role: 'agent', email: 'di@acme.test' });
    const inbox = await call('POST', `/api/v1/accounts/${a.accountId}/inboxes`, a.apiKey, {
      name: 'Di inbox',
      channel: { type: 'api' },
    });
    const inboxId = inbox.json<{ id: number }>().id;
    await call('POST', `/api/v1/accounts/${a.accountId}/inbox_members`, a.apiKey, {
      inbox_id: inboxId,
      user_ids: [userId],
    });

    const removed = await call('DELETE', `${agentsUrl(a.accountId)}/${userId}`, a.apiKey);
    const list = await call('GET', agentsUrl(a.accountId), a.apiKey);
    const members = await call('GET', `/api/v1/accounts/${a.accountId}/inbox_members/${inboxId}`, a.apiKey);
    const again = await call('DELETE', `${agentsUrl(a.accountId)}/${userId}`, a.apiKey);

    expect(removed.statusCode).toBe(200);
    expect(list.json().some((row: { id: number }) => row.id === userId)).toBe(false);
    expect(members.json().payload).toEqual([]);
    expect(again.statusCode).toBe(404);
    const types = await app.testDb.database.db
      .select({ type: events.type })
      .from(events)
      .where(and(eq(events.accountId, a.accountId), eq(events.aggregateId, `${a.accountId}:${userId}`)));
    expect(types.map((row) => row.type)).toEqual(['member.added', 'member.removed']);
  });

  it('lets only administrators write (agents get 403)', async () => {
    const create = await call('POST', agentsUrl(a.accountId), agent.token, {
      name: 'E',
      email: 'e@acme.test',
      role: 'agent',
    });
    const update = await call('PATCH', `${agentsUrl(a.accountId)}/${agent.userId}`, agent.token, {
      role: 'administrator',
    });
    const remove = await call('DELETE', `${agentsUrl(a.accountId)}/${admin.userId}`, agent.token);

    expect(create.statusCode).toBe(403);
    expect(update.statusCode).toBe(403);
    expect(remove.statusCode).toBe(403);
    expect(create.json()).toEqual({
      description: 'This operation needs the administrator role',
      errors: [],
    });
  });

  it('answers 401 without a token and 404 across accounts', async () => {
    const missing = await call('GET', agentsUrl(a.accountId), undefined);
    const wrong = await call('GET', agentsUrl(a.accountId), 'pat_wrong');
    const otherAccount = await call('GET', agentsUrl(a.accountId), b.apiKey);
    const foreignAgent = await call('PATCH', `${agentsUrl(b.accountId)}/${agent.userId}`, b.apiKey, {
      role: 'agent',
    });
    const foreignDelete = await call('DELETE', `${agentsUrl(b.accountId)}/${agent.userId}`, b.apiKey);

    expect(missing.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(otherAccount.statusCode).toBe(404);
    expect(foreignAgent.statusCode).toBe(404);
    expect(foreignDelete.statusCode).toBe(404);
  });
});
