import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { seedAgent, seedContact } from '../chatwoot/conversations.test-kit.js';
import { events } from '../../platform/events/events.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';

describe('native bans: end users and IP addresses', () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let contactId: number;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    a = await seedAccount(app, 'Bans A');
    b = await seedAccount(app, 'Bans B');
    agent = await seedAgent(app, a.accountId, { name: 'Agent Ban' });
    contactId = await seedContact(app, a.accountId, { name: 'Troll' });
  }, 120_000);
  afterAll(() => app.close());

  const call = (token: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) =>
    inject({ method, url: `/api${url}`, headers: bearer(token), ...(payload && { payload }) });

  it('lets an agent ban and unban a contact, blocking it and recording contact.banned with the agent', async () => {
    const banned = await call(agent.token, 'PUT', `/v1/accounts/${a.accountId}/contacts/${contactId}/ban`);
    const [row] = await app.parley.ctx.db
      .select({ blocked: contacts.blocked })
      .from(contacts)
      .where(and(eq(contacts.accountId, a.accountId), eq(contacts.id, contactId)));
    const unbanned = await call(
      agent.token,
      'DELETE',
      `/v1/accounts/${a.accountId}/contacts/${contactId}/ban`,
    );

    expect(banned.json()).toEqual({ contactId, banned: true });
    expect(row?.blocked).toBe(true);
    expect(unbanned.json()).toEqual({ contactId, banned: false });
    const recorded = await app.parley.ctx.db
      .select({ type: events.type, payload: events.payload })
      .from(events)
      .where(eq(events.accountId, a.accountId));
    const banEvent = recorded.find((event) => event.type === 'contact.banned');
    expect(banEvent?.payload).toMatchObject({
      contact: { id: contactId, blocked: true },
      byUserId: agent.userId,
    });
    expect(recorded.map((event) => event.type)).toEqual(
      expect.arrayContaining(['contact.unbanned', 'contact.updated']),
    );
  });

  it('keeps one spelling per address and answers a repeated ban with the existing one', async () => {
    const first = await call(a.apiKey, 'POST', `/v1/accounts/${a.accountId}/banned-ips`, {
      ip: '::ffff:203.0.113.9',
    });
    const again = await call(a.apiKey, 'POST', `/v1/accounts/${a.accountId}/banned-ips`, {
      ip: '203.0.113.9',
    });
    const v6 = await call(a.apiKey, 'POST', `/v1/accounts/${a.accountId}/banned-ips`, { ip: '2001:DB8::1' });

    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ ip: '203.0.113.9', bannedByUserId: null });
    expect(again.json<{ createdAt: string }>().createdAt).toBe(first.json<{ createdAt: string }>().createdAt);
    expect(v6.json()).toMatchObject({ ip: '2001:db8::1' });
    const ipEvents = await app.parley.ctx.db
      .select({ type: events.type })
      .from(events)
      .where(and(eq(events.accountId, a.accountId), eq(events.type, 'ip.banned')));
    expect(ipEvents).toHaveLength(2);
  });

  it("keeps accounts apart: B cannot ban A's contact, see or lift A's IP bans (404)", async () => {
    const banOther = await call(b.apiKey, 'PUT', `/v1/accounts/${b.accountId}/contacts/${contactId}/ban`);
    const crossAccount = await call(b.apiKey, 'PUT', `/v1/accounts/${a.accountId}/contacts/${contactId}/ban`);
    const listed = await call(b.apiKey, 'GET', `/v1/accounts/${b.accountId}/banned-ips`);
    const lift = await call(b.apiKey, 'DELETE', `/v1/accounts/${b.accountId}/banned-ips/203.0.113.9`);
    const anonymous = await inject({ method: 'GET', url: `/api/v1/accounts/${a.accountId}/banned-ips` });

    expect(banOther.statusCode).toBe(404);
    expect(crossAccount.statusCode).toBe(404);
    expect(listed.json()).toEqual({ data: [], nextCursor: null });
    expect(lift.statusCode).toBe(404);
    expect(anonymous.statusCode).toBe(401);
    const stillBanned = await call(a.apiKey, 'GET', `/v1/accounts/${a.accountId}/banned-ips`);
    expect(stillBanned.json<{ data: { ip: string }[] }>().data.map((row) => row.ip)).toContain('203.0.113.9');
  });
});
