import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from './conversations.test-kit.js';
import { seedAccount } from '../../testing/app.js';
import { range, reportCaller, seedReportHistory, SINCE, UNTIL } from './reports-history.test-kit.js';

describe(`Chatwoot reports: reporting events, isolation, input (${backendName})`, () => {
  let app: TestApp;
  let history: Awaited<ReturnType<typeof seedReportHistory>>;
  let client: ReturnType<typeof reportCaller>;
  const ok = async (path: string, token?: string, accountId?: number) => {
    const response = await client.get(path, token, accountId);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const get = (path: string, token?: string, accountId?: number) => client.get(path, token, accountId);

  beforeAll(async () => {
    app = await createTestApp();
    history = await seedReportHistory(app);
    client = reportCaller(app, history.a);
  }, 180_000);
  afterAll(() => app.close());

  it('lists reporting events, paged and filtered, and per conversation', async () => {
    const all = await ok('/api/v1/accounts/:a/reporting_events');
    const replies = await ok('/api/v1/accounts/:a/reporting_events?name=reply_time');
    const bobs = await ok(
      `/api/v1/accounts/:a/reporting_events?user_id=${history.bob.userId}&since=${SINCE}`,
    );
    const c1 = await ok(`/api/v1/accounts/:a/conversations/${history.displayIds.c1}/reporting_events`);

    expect(all.meta).toEqual({ count: 5, current_page: 1, total_pages: 1 });
    expect(all.payload.map((event: { name: string }) => event.name)).toEqual([
      'conversation_resolved',
      'first_response',
      'conversation_resolved',
      'reply_time',
      'first_response',
    ]);
    expect(replies.payload).toEqual([
      {
        id: expect.any(Number),
        name: 'reply_time',
        value: 600,
        event_start_time: '2026-03-02T09:20:00.000Z',
        event_end_time: '2026-03-02T09:30:00.000Z',
        account_id: history.a.accountId,
        conversation_id: history.displayIds.c1,
        inbox_id: history.ids.web,
        user_id: history.ann.userId,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ]);
    expect(bobs.meta.count).toBe(2);
    expect(c1.map((event: { name: string; value: number }) => [event.name, event.value])).toEqual([
      ['first_response', 600],
      ['reply_time', 600],
      ['conversation_resolved', 3600],
    ]);
  });

  it('counts nothing twice when the relay hands a batch over again', async () => {
    const { events } = await import('../../platform/events/events.tables.js');
    const { eq } = await import('drizzle-orm');
    const { createReportingConsumer } = await import('../../core/analytics/reporting-consumer.js');
    const db = app.parley.ctx.db;
    const batch = await db.select().from(events).where(eq(events.accountId, history.a.accountId));
    const consumer = createReportingConsumer({ logger: app.parley.ctx.logger });

    await db.transaction((tx) => consumer.handle(tx, batch));

    expect(await ok(`/api/v2/accounts/:a/reports/summary?type=account&${range}`)).toMatchObject({
      incoming_messages_count: 6,
      outgoing_messages_count: 5,
      resolutions_count: 2,
      reply_time: '600',
    });
    expect((await ok('/api/v1/accounts/:a/reporting_events')).meta.count).toBe(5);
  });

  it("keeps accounts apart: another account's figures, ids and conversations are not found", async () => {
    const bSummary = await ok(
      `/api/v2/accounts/:a/reports/summary?type=account&${range}`,
      history.b.apiKey,
      history.b.accountId,
    );
    const foreignInbox = await get(
      `/api/v2/accounts/:a/reports?metric=conversations_count&type=inbox&id=${history.ids.web}&${range}`,
      history.b.apiKey,
      history.b.accountId,
    );
    const bInboxes = await ok(
      `/api/v2/accounts/:a/summary_reports/inbox?${range}`,
      history.b.apiKey,
      history.b.accountId,
    );
    const bEvents = await ok('/api/v1/accounts/:a/reporting_events', history.b.apiKey, history.b.accountId);
    const foreignConversation = await get(
      '/api/v1/accounts/:a/conversations/104/reporting_events',
      history.b.apiKey,
      history.b.accountId,
    );
    const crossAccount = await get(
      `/api/v2/accounts/:a/reports/summary?type=account&${range}`,
      history.b.apiKey,
    );

    expect(bSummary).toMatchObject({
      conversations_count: 1,
      incoming_messages_count: 1,
      outgoing_messages_count: 0,
    });
    expect(foreignInbox.statusCode).toBe(404);
    expect(bInboxes.map((row: { id: number }) => row.id)).toEqual([history.bInbox]);
    expect(bEvents.meta.count).toBe(0);
    expect(foreignConversation.statusCode).toBe(404);
    expect([401, 403, 404]).toContain(crossAccount.statusCode);
  });

  it('refuses bad input with the error body, agents with 403 and no token with 401', async () => {
    const badMetric = await get(`/api/v2/accounts/:a/reports?metric=bogus&type=account&${range}`);
    const noId = await get(`/api/v2/accounts/:a/reports?metric=conversations_count&type=agent&${range}`);
    const backwards = await get(
      `/api/v2/accounts/:a/reports/summary?type=account&since=${UNTIL}&until=${SINCE}`,
    );
    const tooLong = await get(
      `/api/v2/accounts/:a/summary_reports/channel?since=${SINCE}&until=${SINCE + 200 * 86_400}`,
    );
    const noGroup = await get(`/api/v2/accounts/:a/reports/outgoing_messages_count?${range}`);
    const agent = await get(`/api/v2/accounts/:a/reports/summary?type=account&${range}`, history.ann.token);
    const anonymous = await client.call(
      'GET',
      `/api/v2/accounts/${history.a.accountId}/reports/summary?type=account`,
      undefined,
    );

    for (const response of [badMetric, noId, backwards, noGroup]) {
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.json()).toEqual({ description: expect.any(String), errors: expect.any(Array) });
    }
    expect(noId.statusCode).toBe(422);
    expect(noId.json().errors[0].field).toBe('id');
    expect(tooLong.statusCode).toBe(400);
    expect(agent.statusCode).toBe(403);
    expect(anonymous.statusCode).toBe(401);
  });

  it('counts what happens through the face as it happens', async () => {
    const c = await seedAccount(app, 'Live');
    const agent = await seedAgent(app, c.accountId, { name: 'Cleo' });
    const inbox = await seedInbox(app, c.accountId, { memberIds: [agent.userId] });
    const contact = await seedContact(app, c.accountId);
    const client = chatwootClient(app, agent.token);
    const id = await openConversation(client, c.accountId, { inbox_id: inbox, contact_id: contact });
    const messages = `/api/v1/accounts/${c.accountId}/conversations/${id}/messages`;
    expect((await client.post(messages, { content: 'Help', message_type: 'incoming' })).statusCode).toBe(200);
    expect((await client.post(messages, { content: 'On it' })).statusCode).toBe(200);

    await app.parley.relay.drain();
    const now = Math.floor(Date.now() / 1000);
    const summary = await ok(
      `/api/v2/accounts/:a/reports/summary?type=inbox&id=${inbox}&since=${now - 3600}&until=${now + 3600}`,
      c.apiKey,
      c.accountId,
    );
    const events = await ok(
      `/api/v1/accounts/:a/conversations/${id}/reporting_events`,
      c.apiKey,
      c.accountId,
    );

    expect(summary).toMatchObject({
      conversations_count: 1,
      incoming_messages_count: 1,
      outgoing_messages_count: 1,
    });
    expect(events.map((event: { name: string; user_id: number }) => [event.name, event.user_id])).toEqual([
      ['first_response', agent.userId],
    ]);
  });
});
