import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

interface Report {
  since: string;
  until: string;
  totals: {
    conversations: number;
    resolutions: number;
    outgoingMessages: number;
    avgFirstResponseSeconds: number | null;
    avgResolutionSeconds: number | null;
  };
  series: {
    conversations: { start: string; value: number }[];
    resolutions: { start: string; value: number }[];
  };
  breakdown: {
    id: number;
    name: string;
    conversations: number;
    resolutions: number;
    avgFirstResponseSeconds: number | null;
  }[];
}

/**
 * The web app's reports over a known history made through the API: Ann answers and resolves two
 * conversations (one labelled billing), Bob is assigned one he leaves open, one stays unassigned.
 */
describe(`native reports (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let accountId: number;
  let adminToken: string;
  let ann: { userId: number; token: string };
  let bob: { userId: number; token: string };
  let supportInbox: number;
  let salesInbox: number;
  const until = () => new Date(Date.now() + 60_000).toISOString();

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    ({ accountId } = await seedAccount(app, 'Acme'));
    const admin = await seedAgent(app, accountId, { role: 'administrator', name: 'Admin' });
    adminToken = admin.token;
    ann = await seedAgent(app, accountId, { name: 'Ann' });
    bob = await seedAgent(app, accountId, { name: 'Bob' });
    supportInbox = await seedInbox(app, accountId, { name: 'Support', memberIds: [ann.userId, bob.userId] });
    salesInbox = await seedInbox(app, accountId, { name: 'Sales', memberIds: [ann.userId, bob.userId] });
    const contactId = await seedContact(app, accountId);
    const annClient = chatwootClient(app, ann.token);
    const adminClient = chatwootClient(app, adminToken);
    const base = `/api/v1/accounts/${accountId}/conversations`;
    const answerAndResolve = async (client: ChatwootClient, displayId: number) => {
      const reply = await client.post(`${base}/${displayId}/messages`, { content: 'On it' });
      expect(reply.statusCode, reply.body).toBe(200);
      const resolved = await client.post(`${base}/${displayId}/toggle_status`, { status: 'resolved' });
      expect(resolved.statusCode, resolved.body).toBe(200);
    };
    const first = await openConversation(adminClient, accountId, {
      inbox_id: supportInbox,
      contact_id: contactId,
      assignee_id: ann.userId,
    });
    await adminClient.post(`${base}/${first}/labels`, { labels: ['billing'] });
    await answerAndResolve(annClient, first);
    const second = await openConversation(adminClient, accountId, {
      inbox_id: salesInbox,
      contact_id: contactId,
      assignee_id: ann.userId,
    });
    await answerAndResolve(annClient, second);
    await openConversation(adminClient, accountId, {
      inbox_id: supportInbox,
      contact_id: contactId,
      assignee_id: bob.userId,
    });
    await openConversation(adminClient, accountId, { inbox_id: salesInbox, contact_id: contactId });
    await app.parley.relay.drain();
  });
  afterAll(async () => {
    await app.close();
  });

  const report = (query: string, token = adminToken) =>
    inject({ method: 'GET', url: `/api/v1/accounts/${accountId}/reports?${query}`, headers: bearer(token) });

  it('counts conversations and resolutions, by agent, matching the history', async () => {
    const response = await report(`by=agent&until=${until()}`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Report>();
    expect(body.totals).toMatchObject({ conversations: 4, resolutions: 2, outgoingMessages: 2 });
    expect(body.totals.avgFirstResponseSeconds).toEqual(expect.any(Number));
    expect(body.totals.avgResolutionSeconds).toEqual(expect.any(Number));
    const byName = new Map(body.breakdown.map((row) => [row.name, row]));
    expect(byName.get('Ann')).toMatchObject({ id: ann.userId, conversations: 2, resolutions: 2 });
    expect(byName.get('Ann')?.avgFirstResponseSeconds).toEqual(expect.any(Number));
    expect(byName.get('Bob')).toMatchObject({
      conversations: 1,
      resolutions: 0,
      avgFirstResponseSeconds: null,
    });
    expect(byName.get('Admin')).toMatchObject({ conversations: 0, resolutions: 0 });
    // One day per point for the week before `until`; today's point holds the four conversations.
    expect(body.series.conversations).toHaveLength(8);
    expect(body.series.conversations.reduce((sum, entry) => sum + entry.value, 0)).toBe(4);
    expect(body.series.resolutions.reduce((sum, entry) => sum + entry.value, 0)).toBe(2);
  });

  it('breaks down by inbox and by label', async () => {
    const byInbox = (await report(`by=inbox&until=${until()}`)).json<Report>().breakdown;
    expect(byInbox.map((row) => [row.name, row.conversations, row.resolutions])).toEqual([
      ['Sales', 2, 1],
      ['Support', 2, 1],
    ]);
    const byLabel = (await report(`by=label&until=${until()}`)).json<Report>().breakdown;
    expect(byLabel.map((row) => [row.name, row.conversations, row.resolutions])).toEqual([['billing', 1, 1]]);
  });

  it('exports the breakdown as CSV with the same figures', async () => {
    const response = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountId}/reports/breakdown.csv?by=inbox&until=${until()}`,
      headers: bearer(adminToken),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="parley-report-inbox-/);
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'inbox,conversations,resolutions,avg_first_response_seconds,avg_resolution_seconds',
    );
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3))).toEqual([
      ['Sales', '2', '1'],
      ['Support', '2', '1'],
    ]);
  });

  it('counts nothing outside the period, and refuses a reversed one', async () => {
    const past = await report('since=2020-01-01T00:00:00Z&until=2020-01-31T23:59:59Z&groupBy=week');
    expect(past.statusCode, past.body).toBe(200);
    expect(past.json<Report>().totals).toMatchObject({ conversations: 0, resolutions: 0 });
    const reversed = await report('since=2021-01-01T00:00:00Z&until=2020-01-01T00:00:00Z');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json()).toMatchObject({ error: { details: [{ path: 'since' }] } });
    expect((await report('by=planet')).statusCode).toBe(422);
    expect((await report('since=yesterday')).statusCode).toBe(422);
  });

  it('is for administrators, and never shows another account', async () => {
    expect((await report('by=agent', ann.token)).statusCode).toBe(403);
    const other = await seedAccount(app, 'Globex');
    const theirs = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${other.accountId}/reports`,
      headers: bearer(adminToken),
    });
    expect(theirs.statusCode).toBe(404);
    const ownEmpty = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${other.accountId}/reports?until=${until()}`,
      headers: bearer(other.apiKey),
    });
    expect(ownEmpty.statusCode, ownEmpty.body).toBe(200);
    expect(ownEmpty.json<Report>().totals.conversations).toBe(0);
  });
});
