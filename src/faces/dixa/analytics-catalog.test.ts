import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { metricCatalog } from '../../core/analytics/index.js';
import { minutes, seedAgentRow, seedConversationRows, Story, type Queue } from './analytics.test-kit.js';

const T = new Date('2026-06-10T08:00:00Z');
const june10Utc = { _type: 'Interval', start: '2026-06-10T00:00:00Z', end: '2026-06-11T00:00:00Z' };

describe('Dixa analytics: catalogs, records and filter values', () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let other: DixaTestOrg;
  let agent: { id: number; uuid: string };
  let inject: Inject;
  const queue: Queue = { id: 77, uuid: randomUUID(), name: 'Billing' };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    org = await created.organization('Records');
    other = await created.organization('Other');
    const db = app.parley.ctx.db;
    agent = await seedAgentRow(db, org.accountId, 'Cleo Closer');
    const conversations = await seedConversationRows(
      db,
      org.accountId,
      [0, 1, 2].map(() => ({ channelType: 'email' as const })),
    );
    const story = new Story(org.accountId);
    conversations.forEach((conversation, index) => {
      const start = minutes(T, index * 10);
      const assigned = { ...conversation, assigneeId: agent.id };
      story
        .add('conversation.created', start, conversation)
        .add('conversation.enqueued', start, conversation, { queue })
        .add('conversation.claimed', minutes(start, 1), assigned, {
          queue,
          agentId: agent.id,
          fromAgentId: null,
        })
        .status(minutes(start, 5), assigned, 'resolved', 'open');
    });
    await story.write(db);
    await app.parley.relay.drain();
  }, 180_000);
  afterAll(() => app.close());

  it('lists the metric catalog with filters, aggregations and related records, page by page', async () => {
    const first = await org.call('GET', '/v1/analytics/metrics?pageLimit=5');
    expect(first.statusCode).toBe(200);
    const body = first.json<{ data: { id: string }[]; meta: { next?: string } }>();
    expect(body.data).toHaveLength(5);
    expect(body.data[0]).toEqual({
      id: 'abandoned_conversations',
      description: expect.any(String),
      filters: expect.arrayContaining([{ filterAttribute: 'queue_id', description: expect.any(String) }]),
      aggregations: [{ measure: 'Count', description: expect.any(String) }],
      relatedRecordIds: ['abandoned_conversations'],
    });
    const ids = body.data.map((item) => item.id);
    let next = body.meta.next;
    while (next) {
      const page = await inject({ method: 'GET', url: next, headers: { authorization: org.apiKey } });
      const pageBody = page.json<{ data: { id: string }[]; meta: { next?: string } }>();
      ids.push(...pageBody.data.map((item) => item.id));
      next = pageBody.meta.next;
    }
    expect(ids).toEqual(metricCatalog.map((metric) => metric.id));
  });

  it('describes one metric, and answers an unknown one with 404', async () => {
    const found = await org.call('GET', '/v1/analytics/metrics/csat');
    expect(
      found.json<{ data: { aggregations: { measure: string }[] } }>().data.aggregations.map((a) => a.measure),
    ).toContain('Percentage');
    const missing = await org.call('GET', '/v1/analytics/metrics/closed_conversationsX');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ message: expect.any(String) });
  });

  it('lists and describes records with their fields', async () => {
    const list = await org.call('GET', '/v1/analytics/records');
    const records = list.json<{ data: { id: string }[] }>().data;
    expect(records.map((record) => record.id)).toContain('closed_conversations');
    const one = await org.call('GET', '/v1/analytics/records/closed_conversations');
    expect(one.json()).toEqual({
      data: {
        id: 'closed_conversations',
        description: expect.any(String),
        filters: expect.any(Array),
        fieldsMetadata: expect.arrayContaining([
          { field: 'handling_time', description: expect.any(String), nullable: true },
        ]),
        relatedMetricIds: ['closed_conversations', 'handling_time', 'resolution_time'],
      },
    });
    expect((await org.call('GET', '/v1/analytics/records/nope')).statusCode).toBe(404);
  });

  it('pages through records with pageLimit and pageKey', async () => {
    const request = { id: 'closed_conversations', periodFilter: june10Utc, timezone: 'UTC' };
    const first = await org.call('POST', '/v1/analytics/records?pageLimit=2', request);
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json<{ data: unknown[]; meta: { next?: string } }>();
    expect(body.data).toHaveLength(2);
    expect(body.data[0]).toEqual({
      primaryTimestampField: { name: 'closed_at', timestamp: minutes(T, 5).toISOString() },
      value: { value: 300, _type: 'DoubleField' },
      fields: [
        { name: 'conversation_id', field: { value: 1, _type: 'LongField' } },
        { name: 'channel', field: { value: 'EMAIL', label: 'Email', _type: 'StringField' } },
        { name: 'initial_direction', field: { value: 'INBOUND', _type: 'StringField' } },
        { name: 'queue_id', field: { value: queue.uuid, label: 'Billing', _type: 'UUIDField' } },
        { name: 'agent_id', field: { value: agent.uuid, label: 'Cleo Closer', _type: 'UUIDField' } },
        { name: 'resolution_time', field: { value: 300, _type: 'DoubleField' } },
        { name: 'handling_time', field: { value: 240, _type: 'DoubleField' } },
      ],
    });
    expect(body.meta.next).toMatch(/^\/dixa\/v1\/analytics\/records\?pageLimit=2&pageKey=/);
    const second = await inject({
      method: 'POST',
      url: body.meta.next!,
      headers: { authorization: org.apiKey },
      payload: request,
    });
    const secondBody = second.json<{
      data: { primaryTimestampField: { timestamp: string } }[];
      meta: { next?: string };
    }>();
    expect(secondBody.data.map((record) => record.primaryTimestampField.timestamp)).toEqual([
      minutes(T, 25).toISOString(),
    ]);
    expect(secondBody.meta).toEqual({});
    const others = await other.call('POST', '/v1/analytics/records', request);
    expect(others.json()).toEqual({ data: [], meta: {} });
  });

  it('lists filter values from the account’s data', async () => {
    const channels = await org.call('GET', '/v1/analytics/filter/channel');
    expect(channels.json()).toEqual({ data: [{ value: 'EMAIL', label: 'Email' }], meta: {} });
    const queues = await org.call('GET', '/v1/analytics/filter/queue_id');
    expect(queues.json()).toEqual({ data: [{ value: queue.uuid, label: 'Billing' }], meta: {} });
    const agents = await org.call('GET', '/v1/analytics/filter/agent_id');
    expect(agents.json<{ data: { value: string }[] }>().data.map((item) => item.value)).toContain(agent.uuid);
    const otherAgents = await other.call('GET', '/v1/analytics/filter/agent_id');
    expect(otherAgents.json<{ data: { value: string }[] }>().data.map((item) => item.value)).not.toContain(
      agent.uuid,
    );
    expect((await org.call('GET', '/v1/analytics/filter/colour')).statusCode).toBe(400);
  });

  it('answers presets relative to now', async () => {
    const response = await org.call('POST', '/v1/analytics/metrics', {
      id: 'closed_conversations',
      periodFilter: { _type: 'Preset', value: { _type: 'Today' } },
      timezone: 'Europe/Copenhagen',
    });
    expect(response.json()).toEqual({
      data: {
        id: 'closed_conversations',
        aggregates: [{ measure: 'Count', value: 0, _type: 'LongAggregateValue' }],
      },
    });
    const seedStyle = await org.call('POST', '/v1/analytics/metrics', {
      id: 'closed_conversations',
      periodFilter: { value: 'PreviousWeek' },
      timezone: 'UTC',
    });
    expect(seedStyle.statusCode).toBe(200);
  });

  it('refuses bad input with 400 {message}, and no token with 401', async () => {
    const base = { id: 'closed_conversations', periodFilter: june10Utc, timezone: 'UTC' };
    const cases = [
      { ...base, timezone: 'Mars/Olympus' },
      { ...base, id: 'closed_conversationsX' },
      { ...base, aggregations: ['Percentage'] },
      { ...base, filters: [{ attribute: 'colour', values: ['red'] }] },
      { ...base, periodFilter: { _type: 'Preset', value: { _type: 'NextCentury' } } },
      {
        ...base,
        periodFilter: { _type: 'Interval', start: '2026-06-11T00:00:00Z', end: '2026-06-10T00:00:00Z' },
      },
      { ...base, periodFilter: { _type: 'Interval', start: 'yesterday', end: '2026-06-10T00:00:00Z' } },
      { id: 'closed_conversations', timezone: 'UTC' },
    ];
    for (const body of cases) {
      const response = await org.call('POST', '/v1/analytics/metrics', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toEqual({ message: expect.any(String) });
    }
    const badKey = await org.call('POST', '/v1/analytics/records?pageKey=bm90LWEta2V5', base);
    expect(badKey.statusCode).toBe(400);
    const anonymous = await inject({ method: 'POST', url: '/dixa/v1/analytics/metrics', payload: base });
    expect(anonymous.statusCode).toBe(401);
  });
});
