import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { metricCatalog } from '../../core/analytics/index.js';
import { routingQueues } from '../../core/routing/routing.tables.js';
import { minutes, seedAgentRow, seedConversationRows, Story, type Queue } from './analytics.test-kit.js';

const T = new Date('2026-06-10T08:00:00Z');
const june10Utc = { _type: 'Interval', start: '2026-06-10T00:00:00Z', end: '2026-06-11T00:00:00Z' };

interface Aggregate {
  measure: string;
  value: number;
  _type: string;
}

describe('Dixa analytics: figures from a known history', () => {
  let app: TestApp;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let agent1: { id: number; uuid: string };
  let agent2: { id: number; uuid: string };
  const sales: Queue = { id: 9001, uuid: randomUUID(), name: 'Sales' };
  const support: Queue = { id: 9002, uuid: randomUUID(), name: 'Support' };

  async function metric(org: DixaTestOrg, id: string, extra: Record<string, unknown> = {}) {
    const response = await org.call('POST', '/v1/analytics/metrics', {
      id,
      periodFilter: june10Utc,
      timezone: 'UTC',
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ data: { id: string; aggregates: Aggregate[] } }>();
    expect(body.data.id).toBe(id);
    return Object.fromEntries(body.data.aggregates.map((aggregate) => [aggregate.measure, aggregate.value]));
  }

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    orgA = await created.organization('Analytics A');
    orgB = await created.organization('Analytics B');
    const db = app.parley.ctx.db;
    agent1 = await seedAgentRow(db, orgA.accountId, 'Ann Agent');
    agent2 = await seedAgentRow(db, orgA.accountId, 'Bob Agent');
    // Sales answers within 60 s by its SLA; Support has no limit, so its assignments are not judged.
    const [salesRow] = await db
      .insert(routingQueues)
      .values({ accountId: orgA.accountId, name: sales.name, queueThresholds: { SlaTimeLimit: 60 } })
      .returning({ id: routingQueues.id, uuid: routingQueues.uuid });
    Object.assign(sales, salesRow);
    const [c1, c2, c3, c4, c5, c6, c7] = await seedConversationRows(db, orgA.accountId, [
      { channelType: 'email' },
      { channelType: 'web_widget' },
      { channelType: 'email', direction: 'outbound' },
      { channelType: 'web_widget' },
      { channelType: 'email' },
      { channelType: 'web_widget' },
      { channelType: 'web_widget' },
    ]);
    if (!c1 || !c2 || !c3 || !c4 || !c5 || !c6 || !c7) throw new Error('missing conversations');
    const c1a = { ...c1, assigneeId: agent1.id };
    const c3a = { ...c3, assigneeId: agent2.id };
    const c4a = { ...c4, assigneeId: agent2.id };
    const story = new Story(orgA.accountId)
      // c1: queued, offered, accepted after 2 min, first reply after 5 min, closed after 65 min, rated 5.
      .add('conversation.created', T, c1)
      .add('conversation.enqueued', minutes(T, 1), c1, { queue: sales })
      .add('conversation.offered', minutes(T, 1), c1, {
        queue: sales,
        offerId: 1,
        agentIds: [agent1.id, agent2.id],
        expiresAt: T.toISOString(),
      })
      .add('conversation.offer_accepted', minutes(T, 3), c1a, {
        queue: sales,
        offerId: 1,
        agentId: agent1.id,
      })
      .add('conversation.updated', minutes(T, 3), c1a, {
        changes: { assignee_id: { from: null, to: agent1.id } },
      })
      .message(minutes(T, 5), c1a, { type: 'outgoing', senderType: 'user', senderId: agent1.id })
      .message(minutes(T, 6), c1a, { type: 'outgoing', senderType: 'user', senderId: agent1.id })
      .status(minutes(T, 65), c1a, 'resolved', 'open')
      .add('conversation.rated', minutes(T, 70), c1a, {
        rating: {
          id: 1,
          uuid: randomUUID(),
          score: 5,
          comment: null,
          agentId: agent1.id,
          ratingType: 'Csat',
        },
      })
      // c2: queued in Support, abandoned after 90 s.
      .add('conversation.created', minutes(T, 10), c2)
      .add('conversation.enqueued', minutes(T, 10), c2, { queue: support })
      .add('conversation.abandoned', new Date(minutes(T, 11).getTime() + 30_000), c2, {
        queue: support,
        waitedMs: 90_000,
      })
      // c3: outbound, created assigned to agent 2, a private note, a reply after 4 min, closed after 20, rated 2.
      .add('conversation.created', minutes(T, 20), c3a)
      .message(minutes(T, 21), c3a, {
        type: 'outgoing',
        isPrivate: true,
        senderType: 'user',
        senderId: agent2.id,
      })
      .message(minutes(T, 24), c3a, { type: 'outgoing', senderType: 'user', senderId: agent2.id })
      .status(minutes(T, 40), c3a, 'resolved', 'open')
      .add('conversation.rated', minutes(T, 45), c3a, {
        rating: {
          id: 2,
          uuid: randomUUID(),
          score: 2,
          comment: 'slow',
          agentId: agent2.id,
          ratingType: 'Csat',
        },
      })
      // c4: assigned after 2 min, a customer message, closed, reopened, closed again.
      .add('conversation.created', minutes(T, 30), c4)
      .add('conversation.updated', minutes(T, 32), c4a, {
        changes: { assignee_id: { from: null, to: agent2.id } },
      })
      .message(minutes(T, 33), c4a, { type: 'incoming', senderType: 'contact', senderId: 1 })
      .status(minutes(T, 50), c4a, 'resolved', 'open')
      .status(minutes(T, 55), c4a, 'open', 'resolved')
      .status(minutes(T, 60), c4a, 'resolved', 'open')
      // c5: 22:30 UTC = 00:30 on June 11 in Copenhagen; closed unassigned after 10 min.
      .add('conversation.created', new Date('2026-06-10T22:30:00Z'), c5)
      .status(new Date('2026-06-10T22:40:00Z'), c5, 'resolved', 'open')
      // c6, c7: either side of midnight in Kolkata (UTC+5:30), inside one UTC hour.
      .add('conversation.created', new Date('2026-06-10T18:20:00Z'), c6)
      .add('conversation.created', new Date('2026-06-10T18:40:00Z'), c7);
    await story.write(db);
    const [b1] = await seedConversationRows(db, orgB.accountId, [{ channelType: 'email' }]);
    await new Story(orgB.accountId)
      .add('conversation.created', minutes(T, 5), b1!)
      .status(minutes(T, 15), b1!, 'resolved', 'open')
      .write(db);
    await app.parley.relay.drain();
  }, 180_000);
  afterAll(() => app.close());

  it('counts conversations created, queued, offered, assigned, closed and abandoned', async () => {
    expect(await metric(orgA, 'created_conversations')).toEqual({ Count: 7 });
    expect(await metric(orgA, 'queued_conversations')).toEqual({ Count: 2 });
    expect(await metric(orgA, 'offered_conversations')).toEqual({ Count: 1 });
    expect(await metric(orgA, 'assigned_conversations')).toEqual({ Count: 3 });
    expect(await metric(orgA, 'closed_conversations')).toEqual({ Count: 5 });
    expect(await metric(orgA, 'abandoned_conversations')).toEqual({ Count: 1 });
  });

  it('reports durations in seconds with every measure', async () => {
    expect(await metric(orgA, 'queue_wait_time')).toEqual({
      Count: 3,
      Sum: 240,
      Min: 0,
      Max: 120,
      Average: 80,
      StdDev: expect.closeTo(Math.sqrt(3200), 6),
    });
    expect(await metric(orgA, 'first_response_time')).toEqual({
      Count: 2,
      Sum: 540,
      Min: 240,
      Max: 300,
      Average: 270,
      StdDev: expect.closeTo(30, 6),
    });
    expect(
      await metric(orgA, 'resolution_time', { aggregations: ['Count', 'Sum', 'Min', 'Max', 'Average'] }),
    ).toEqual({
      Count: 5,
      Sum: 8700,
      Min: 600,
      Max: 3900,
      Average: 1740,
    });
    expect(
      await metric(orgA, 'handling_time', { aggregations: ['Count', 'Sum', 'Min', 'Max', 'Average'] }),
    ).toEqual({
      Count: 4,
      Sum: 7680,
      Min: 1080,
      Max: 3720,
      Average: 1920,
    });
    expect(await metric(orgA, 'abandoned_wait_time', { aggregations: ['Count', 'Sum'] })).toEqual({
      Count: 1,
      Sum: 90,
    });
  });

  it('reports CSAT with the share of satisfied ratings', async () => {
    expect(await metric(orgA, 'csat')).toEqual({
      Count: 2,
      Sum: 7,
      Min: 2,
      Max: 5,
      Average: 3.5,
      StdDev: expect.closeTo(1.5, 6),
      Percentage: 50,
    });
  });

  it('judges assignments from a queue with an SLA time limit against it', async () => {
    // Only c1 was assigned from Sales (limit 60 s), after waiting 120 s: outside the SLA.
    expect(await metric(orgA, 'queue_sla')).toEqual({ Count: 1, Percentage: 0, Average: 120, Max: 120 });
  });

  it('covers every metric of the catalog in these tests', () => {
    const tested = [
      'created_conversations',
      'queued_conversations',
      'offered_conversations',
      'assigned_conversations',
      'closed_conversations',
      'abandoned_conversations',
      'queue_wait_time',
      'first_response_time',
      'resolution_time',
      'handling_time',
      'abandoned_wait_time',
      'csat',
      'queue_sla',
    ];
    expect(metricCatalog.map((entry) => entry.id).sort()).toEqual(tested.sort());
  });

  it('answers Count as a LongAggregateValue and the rest as DoubleAggregateValue', async () => {
    const response = await orgA.call('POST', '/v1/analytics/metrics', {
      id: 'csat',
      periodFilter: june10Utc,
      timezone: 'UTC',
      aggregations: ['Count', 'Average'],
    });
    expect(response.json()).toEqual({
      data: {
        id: 'csat',
        aggregates: [
          { measure: 'Count', value: 2, _type: 'LongAggregateValue' },
          { measure: 'Average', value: 3.5, _type: 'DoubleAggregateValue' },
        ],
      },
    });
  });

  it('filters by channel, direction, queue and agent, ignoring filters a metric does not have', async () => {
    const filter = (attribute: string, values: string[]) => ({ filters: [{ attribute, values }] });
    expect(await metric(orgA, 'created_conversations', filter('channel', ['email']))).toEqual({ Count: 3 });
    expect(await metric(orgA, 'created_conversations', filter('channel', ['WIDGET_CHAT']))).toEqual({
      Count: 4,
    });
    expect(await metric(orgA, 'created_conversations', filter('initial_direction', ['OUTBOUND']))).toEqual({
      Count: 1,
    });
    expect(await metric(orgA, 'queued_conversations', filter('queue_id', [sales.uuid]))).toEqual({
      Count: 1,
    });
    expect(await metric(orgA, 'assigned_conversations', filter('agent_id', [agent2.uuid]))).toEqual({
      Count: 2,
    });
    expect(await metric(orgA, 'closed_conversations', filter('agent_id', [agent2.uuid]))).toEqual({
      Count: 3,
    });
    expect(
      await metric(orgA, 'closed_conversations', {
        filters: [
          { attribute: 'channel', values: ['EMAIL'] },
          { attribute: 'agent_id', values: [agent2.uuid] },
        ],
      }),
    ).toEqual({ Count: 1 });
    // created_conversations has no agent filter: Dixa ignores it.
    expect(await metric(orgA, 'created_conversations', filter('agent_id', [agent2.uuid]))).toEqual({
      Count: 7,
    });
    expect(await metric(orgA, 'created_conversations', filter('channel', ['Twitter']))).toEqual({ Count: 0 });
  });

  it('cuts periods at midnight in the requested time zone', async () => {
    const june11 = { _type: 'Interval', start: '2026-06-11T00:00:00', end: '2026-06-12T00:00:00' };
    const count = async (timezone: string, metricId = 'created_conversations') =>
      (await metric(orgA, metricId, { periodFilter: june11, timezone })).Count;
    expect(await count('UTC')).toBe(0);
    expect(await count('Europe/Copenhagen')).toBe(1);
    expect(await count('Europe/Copenhagen', 'closed_conversations')).toBe(1);
    expect(await count('Asia/Kolkata')).toBe(2);
    const june = { _type: 'Interval', value: { start: '2026-06-01T00:00:00', end: '2026-07-01T00:00:00' } };
    expect(
      (await metric(orgA, 'created_conversations', { periodFilter: june, timezone: 'America/New_York' }))
        .Count,
    ).toBe(7);
  });

  it('keeps each organization to its own figures', async () => {
    expect(await metric(orgB, 'created_conversations')).toEqual({ Count: 1 });
    expect(await metric(orgB, 'closed_conversations')).toEqual({ Count: 1 });
    expect(
      await metric(orgB, 'queued_conversations', {
        filters: [{ attribute: 'queue_id', values: [sales.uuid] }],
      }),
    ).toEqual({ Count: 0 });
    const values = await orgB.call('GET', '/v1/analytics/filter/queue_id');
    expect(values.json()).toEqual({ data: [], meta: {} });
  });

  it('counts nothing twice when the relay hands a batch over again', async () => {
    await app.parley.relay.drain();
    const { events } = await import('../../platform/events/events.tables.js');
    const { eq } = await import('drizzle-orm');
    const { createReportingConsumer } = await import('../../core/analytics/reporting-consumer.js');
    const db = app.parley.ctx.db;
    const batch = await db.select().from(events).where(eq(events.accountId, orgA.accountId));
    const consumer = createReportingConsumer({ logger: app.parley.ctx.logger });
    await db.transaction((tx) => consumer.handle(tx, batch));
    expect(await metric(orgA, 'closed_conversations')).toEqual({ Count: 5 });
    expect(await metric(orgA, 'resolution_time', { aggregations: ['Sum'] })).toEqual({ Sum: 8700 });
  });
});
