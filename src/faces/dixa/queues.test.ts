import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { getQueue, setQueueUsages } from '../../core/routing/index.js';
import { routingFixture } from '../../core/routing/routing-test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';

const queueRequest = {
  name: 'MyCorp main queue',
  priority: 1,
  isDefault: true,
  offerTimeout: 10,
  wrapupTimeout: 10,
  offerAlgorithm: 'AllAtOnce',
  queueThresholds: { WaitingConversations: 10 },
  callFunctionality: false,
  doNotOfferTimeouts: { WidgetChat: 1 },
  isDoNotOfferEnabled: true,
  preferredAgentTimeouts: { Email: 43200, WidgetChat: 300 },
  isPreferredAgentEnabled: false,
  offerAbandonedConversations: false,
  personalAgentOfflineTimeout: 500,
  preferredAgentOfflineTimeout: 500,
};

describe(`Dixa face: queues and queue members (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: DixaTestOrg;
  let other: DixaTestOrg;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme queues');
    other = await created.organization('Other queues');
  });
  afterAll(() => app.close());

  async function createQueue(org: DixaTestOrg, overrides: Record<string, unknown> = {}) {
    const response = await org.call('POST', '/v1/queues', { request: { ...queueRequest, ...overrides } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ data: { id: string } & Record<string, unknown> }>().data;
  }

  it('creates a queue (201) and answers it in the seed Queue1 shape, offerAlgorithm as offeringAlgorithm', async () => {
    const queue = await createQueue(acme);

    expect(queue).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'MyCorp main queue',
      usages: { queueId: queue.id, usages: {} },
      priority: 1,
      isDefault: true,
      offerTimeout: 10,
      wrapupTimeout: 10,
      memberListType: 'Default',
      organizationId: String(acme.accountId),
      queueThresholds: { WaitingConversations: 10 },
      offeringAlgorithm: 'AllAtOnce',
      doNotOfferTimeouts: { WidgetChat: 1 },
      isDoNotOfferEnabled: true,
      slaCalculationMethod: 'AbandonedIgnored',
      preferredAgentTimeouts: { Email: 43200, WidgetChat: 300 },
      isPreferredAgentEnabled: false,
      offerAbandonedConversations: false,
      personalAgentOfflineTimeout: 500,
      preferredAgentOfflineTimeout: 500,
    });
    const fetched = await acme.call('GET', `/v1/queues/${queue.id}`);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json().data).toEqual(queue);
  });

  it('omits optional fields rather than sending null, and keeps one default queue per organization', async () => {
    const first = await createQueue(acme, { name: 'First default' });
    const minimal = await createQueue(acme, {
      name: 'Minimal',
      priority: undefined,
      wrapupTimeout: undefined,
      preferredAgentTimeouts: undefined,
      isPreferredAgentEnabled: undefined,
      personalAgentOfflineTimeout: undefined,
      preferredAgentOfflineTimeout: undefined,
      offerAlgorithm: 'LongestIdle',
    });

    expect(Object.values(minimal)).not.toContain(null);
    expect(minimal).not.toHaveProperty('priority');
    expect(minimal).not.toHaveProperty('wrapupTimeout');
    expect(minimal.offeringAlgorithm).toBe('LongestIdle');
    const list = (await acme.call('GET', '/v1/queues')).json<{ data: { id: string; isDefault: boolean }[] }>()
      .data;
    expect(list.filter((queue) => queue.isDefault).map((queue) => queue.id)).toEqual([minimal.id]);
    expect(list.map((queue) => queue.id)).toContain(first.id);
  });

  it('answers 400 for invalid input: missing required fields, an unknown algorithm, a non-UUID id', async () => {
    const missing = await acme.call('POST', '/v1/queues', { request: { name: 'No flags' } });
    const badAlgorithm = await acme.call('POST', '/v1/queues', {
      request: { ...queueRequest, offerAlgorithm: 'Roulette' },
    });
    const badChannel = await acme.call('POST', '/v1/queues', {
      request: { ...queueRequest, doNotOfferTimeouts: { Pigeon: 3 } },
    });
    const badId = await acme.call('GET', '/v1/queues/not-a-uuid');

    for (const response of [missing, badAlgorithm, badChannel, badId]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it('lists the contact endpoints feeding a queue as usages by channel', async () => {
    const queue = await createQueue(acme, { name: 'With usages', isDefault: false });
    const fixture = routingFixture(app.parley.ctx.db, acme.accountId);
    const chat = await fixture.inbox('web_widget');
    const mail = await fixture.inbox('email');
    const row = await getQueue(app.parley.ctx.db, acme.accountId, queue.id);
    await setQueueUsages(
      app.parley.ctx.db,
      {
        accountId: acme.accountId,
        queueId: row.id,
        inboxIds: [chat.id, mail.id],
      },
      { type: 'system' },
    );

    const fetched = (await acme.call('GET', `/v1/queues/${queue.id}`)).json().data;

    expect(fetched.usages).toEqual({
      queueId: queue.id,
      usages: { WidgetChat: [chat.uuid], Email: [mail.uuid] },
    });
  });

  it('assigns members with per-agent outcomes, lists them, and removes them', async () => {
    const queue = await createQueue(acme, { name: 'Members', isDefault: false });
    const fixture = routingFixture(app.parley.ctx.db, acme.accountId);
    const [ann, bob] = [await fixture.agent(), await fixture.agent()];
    const stranger = await routingFixture(app.parley.ctx.db, other.accountId).agent();
    const unknown = '914a6e19-cab7-41a7-b41b-517e0ed56161';

    const assigned = await acme.call('PATCH', `/v1/queues/${queue.id}/members`, {
      agentIds: [ann.uuid, bob.uuid, stranger.uuid, unknown],
    });

    expect(assigned.statusCode).toBe(200);
    expect(assigned.json().data).toEqual([
      { data: ann.uuid, _type: 'BulkActionSuccess' },
      { data: bob.uuid, _type: 'BulkActionSuccess' },
      {
        error: { id: stranger.uuid, message: 'User not found', _type: 'NotFound' },
        _type: 'BulkActionFailure',
      },
      { error: { id: unknown, message: 'User not found', _type: 'NotFound' }, _type: 'BulkActionFailure' },
    ]);
    const members = (await acme.call('GET', `/v1/queues/${queue.id}/members`)).json().data;
    expect(members).toEqual(
      expect.arrayContaining([
        { agentId: ann.uuid, priority: 1 },
        { agentId: bob.uuid, priority: 1 },
      ]),
    );
    expect(members).toHaveLength(2);

    const removed = await inject({
      method: 'DELETE',
      url: `/dixa/v1/queues/${queue.id}/members`,
      headers: { authorization: acme.apiKey },
      payload: { agentIds: [ann.uuid, stranger.uuid] },
    });

    expect(removed.statusCode).toBe(200);
    expect(removed.json().data[0]).toEqual({ data: ann.uuid, _type: 'BulkActionSuccess' });
    expect(removed.json().data[1]._type).toBe('BulkActionFailure');
    const after = (await acme.call('GET', `/v1/queues/${queue.id}/members`)).json().data;
    expect(after).toEqual([{ agentId: bob.uuid, priority: 1 }]);
  });

  it('refuses more than 10 agents in one removal and an empty agentIds with 400', async () => {
    const queue = await createQueue(acme, { name: 'Limits', isDefault: false });
    const ids = Array.from(
      { length: 11 },
      (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    );

    const tooMany = await acme.call('DELETE', `/v1/queues/${queue.id}/members`, { agentIds: ids });
    const empty = await acme.call('PATCH', `/v1/queues/${queue.id}/members`, { agentIds: [] });

    expect(tooMany.statusCode).toBe(400);
    expect(empty.statusCode).toBe(400);
  });

  it("keeps organizations apart: another organization's queue is 404 on every route and absent from its list", async () => {
    const queue = await createQueue(acme, { name: 'Private', isDefault: false });
    const agent = await routingFixture(app.parley.ctx.db, other.accountId).agent();

    const responses = [
      await other.call('GET', `/v1/queues/${queue.id}`),
      await other.call('GET', `/v1/queues/${queue.id}/members`),
      await other.call('PATCH', `/v1/queues/${queue.id}/members`, { agentIds: [agent.uuid] }),
      await other.call('DELETE', `/v1/queues/${queue.id}/members`, { agentIds: [agent.uuid] }),
    ];

    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404, 404]);
    const list = (await other.call('GET', '/v1/queues')).json<{ data: { id: string }[] }>().data;
    expect(list.map((item) => item.id)).not.toContain(queue.id);
  });

  it('answers 401 without a token', async () => {
    const response = await inject({ method: 'GET', url: '/dixa/v1/queues' });
    expect(response.statusCode).toBe(401);
  });
});
