import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startWebhookReceiver, type ReceivedRequest } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { getQueue, setQueueUsages } from '../../core/routing/index.js';
import { createDixaTestApp, dixaHeaders, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import { dixaWebhookEvents } from './webhook-events.js';
import { verifyDixaSignature } from './webhook-signing.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
type Data = Record<string, unknown> & {
  direction?: string;
  conversation?: { csid: number; queue: { id: string } | null; assignee: { id: string } | null };
};
interface DixaWebhook {
  event_id: string;
  event_fqn: string;
  event_timestamp: string;
  organization: { id: string; name: string };
  data: Data;
}
interface Delivery {
  request: ReceivedRequest;
  body: DixaWebhook;
}
interface Activity {
  _type: string;
  activityTimestamp: string;
  attributes?: { agentNames?: string[]; queueLabel?: string };
}
interface DixaQueue {
  id: string;
  offerTimeout: number;
  offeringAlgorithm: string;
  usages?: unknown;
}
interface Subscription {
  id: string;
  secretKey: string;
  subscribedEvents: string[];
  headers: Record<string, string>;
}
interface Agent {
  name: string;
  userId: number;
  uuid: string;
  token: string;
}

const WEBHOOK_PATH = '/dixa-webhooks';
const RECEIVER_TOKEN = 'e2e-receiver-token';
const OFFER_TIMEOUT_SECONDS = 1;
// The flow takes a few seconds on an idle machine; a loaded runner gets room before a step fails.
const SETUP_TIMEOUT_MS = 180_000;
const FLOW_TIMEOUT_MS = 180_000;
const WAIT_MS = 30_000;

/** Seed CreateOrUpdateQueueRequest, minus the name and offer timeout. */
const QUEUE = {
  offerAlgorithm: 'LongestIdle',
  isDefault: false,
  callFunctionality: false,
  isDoNotOfferEnabled: false,
};

const seconds = (fromIso: string, toIso: string) => (Date.parse(toIso) - Date.parse(fromIso)) / 1000;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Whether a webhook's data has this shape (toMatchObject's rules, as a predicate for waiting). */
function matches(data: Data, shape: Record<string, unknown>): boolean {
  try {
    expect(data).toMatchObject(shape);
    return true;
  } catch {
    return false;
  }
}

/**
 * Issue 9's support flow across the faces, with the real background machinery: an end user writes
 * through the Chatwoot public API into an inbox that feeds a Dixa queue; the routing engine offers
 * the conversation to one agent, lets the 1 s offer time out and offers it to the other; the
 * conversation is then claimed, answered, noted, tagged, transferred, claimed again, closed and
 * rated. Every step's Dixa webhook reaches a real local HTTP server, signed and authorized, and the
 * analytics report counts and durations that match the timestamps those webhooks carry.
 */
describe(`the Dixa support flow end to end (${backendName})`, { timeout: FLOW_TIMEOUT_MS }, () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;
  let receiver: Receiver;
  let wsBase: string;
  const sockets: WebSocket[] = [];
  const startedAt = new Date();

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const created = await createDixaTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    app = created.app;
    inject = created.inject;
    org = await created.organization('Parcel Co');
    await app.parley.startBackground();
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    wsBase = `ws://127.0.0.1:${(app.parley.server.server.address() as AddressInfo).port}`;
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await app.close();
    await receiver.close();
  });

  /** A request that must answer `status` (any 2xx when not given); the parsed body. */
  async function call<T>(
    method: InjectOptions['method'],
    url: string,
    options: { payload?: unknown; headers?: Record<string, string>; status?: number } = {},
  ): Promise<T> {
    const response = await inject({
      method,
      url,
      headers: options.headers ?? {},
      ...(options.payload !== undefined && { payload: options.payload as InjectOptions['payload'] }),
    });
    const what = `${method} ${url}: ${response.body}`;
    if (options.status === undefined) expect(response.statusCode, what).toBeLessThan(300);
    else expect(response.statusCode, what).toBe(options.status);
    return (response.body ? response.json() : undefined) as T;
  }

  const dixa = <T>(method: InjectOptions['method'], path: string, payload?: unknown, status?: number) =>
    call<T>(method, `/dixa${path}`, { payload, headers: dixaHeaders(org.apiKey), ...(status && { status }) });
  const chatwoot = <T>(path: string, payload: unknown) =>
    call<T>('POST', `/chatwoot/api/v1/accounts/${org.accountId}${path}`, {
      payload,
      headers: { api_access_token: org.apiKey },
    });

  async function createAgent(name: string, email: string): Promise<Agent> {
    const password = 'correct horse battery';
    const member = await call<{ userId: number }>('POST', `/api/v1/accounts/${org.accountId}/members`, {
      payload: { email, name, password, role: 'agent' },
      // Only the platform operator creates users directly; account administrators invite.
      headers: bearer(TEST_PLATFORM_TOKEN),
    });
    const login = await call<{ token: string }>('POST', '/api/v1/auth/login', {
      payload: { email, password },
    });
    const agents = await dixa<{ data: { id: string; email: string }[] }>('GET', '/v1/agents');
    const uuid = agents.data.find((agent) => agent.email === email)?.id;
    if (!uuid) throw new Error(`${email} is not among the Dixa agents`);
    return { name, userId: member.userId, uuid, token: login.token };
  }

  /** An agent at work: their real-time connection makes them online, which Dixa shows as Working. */
  async function goOnline(agent: Agent): Promise<void> {
    const socket = new WebSocket(
      `${wsBase}/api/v1/accounts/${org.accountId}/realtime?access_token=${agent.token}`,
    );
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    await waitFor(
      async () => {
        type Presence = { data: { presenceStatus?: string; connectionStatus: string } };
        const { data } = await dixa<Presence>('GET', `/v1/agents/${agent.uuid}/presence`);
        return data.presenceStatus === 'Working' && data.connectionStatus === 'Online';
      },
      { what: `${agent.name} Working`, timeoutMs: WAIT_MS },
    );
  }

  /** The conversation's webhooks, once per event (a retried delivery repeats the event_id). */
  function webhooks(csid: number): Delivery[] {
    const seen = new Set<string>();
    return receiver.received
      .filter((request) => request.path === WEBHOOK_PATH)
      .map((request) => ({ request, body: JSON.parse(request.body) as DixaWebhook }))
      .filter(({ body }) => {
        if (body.data.conversation?.csid !== csid || seen.has(body.event_id)) return false;
        seen.add(body.event_id);
        return true;
      });
  }

  const waitForWebhook = (csid: number, fqn: string, match: (data: Data) => boolean = () => true) =>
    waitFor(() => webhooks(csid).find(({ body }) => body.event_fqn === fqn && match(body.data)), {
      what: `${fqn} at the receiver`,
      timeoutMs: WAIT_MS,
    });

  const ofType = (log: Activity[], type: string) => log.filter((entry) => entry._type === type);
  const offersIn = (log: Activity[], queue: string) =>
    ofType(log, 'ConversationOffered').filter((entry) => entry.attributes?.queueLabel === queue);
  const waitForActivity = (csid: number, check: (log: Activity[]) => boolean, what: string) =>
    waitFor(
      async () => {
        const log = (await dixa<{ data: Activity[] }>('GET', `/v1/conversations/${csid}/activitylog`)).data;
        return check(log) ? log : undefined;
      },
      { what, timeoutMs: WAIT_MS },
    );

  async function metric(id: string): Promise<Record<string, number>> {
    type Answer = { data: { id: string; aggregates: { measure: string; value: number }[] } };
    const { data } = await dixa<Answer>(
      'POST',
      '/v1/analytics/metrics',
      {
        id,
        periodFilter: {
          _type: 'Interval',
          value: {
            start: new Date(startedAt.getTime() - 3_600_000).toISOString(),
            end: new Date(Date.now() + 3_600_000).toISOString(),
          },
        },
        timezone: 'UTC',
      },
      200,
    );
    expect(data.id).toBe(id);
    return Object.fromEntries(data.aggregates.map((aggregate) => [aggregate.measure, aggregate.value]));
  }

  it('offers, times out, re-offers, claims, notes, tags, transfers, closes, rates; webhooks and analytics agree', async () => {
    // The organization: an API inbox (Chatwoot's round robin off: it routes by queue), two agents at work.
    const inbox = await chatwoot<{ id: number; inbox_identifier: string }>('/inboxes', {
      name: 'Parcel help',
      enable_auto_assignment: false,
      channel: { type: 'api' },
    });
    const ada = await createAgent('Ada Agent', 'ada@parcel.example');
    const bo = await createAgent('Bo Agent', 'bo@parcel.example');
    await chatwoot('/inbox_members', { inbox_id: inbox.id, user_ids: [ada.userId, bo.userId] });
    await goOnline(ada);
    await goOnline(bo);

    // Through the Dixa face: queue A (LongestIdle, 1 s offers) fed by the inbox, queue B (offers that
    // outlast the test, so its offer is still open when it is claimed), a tag, a webhook.
    const createQueue = async (name: string, offerTimeout: number) =>
      (
        await dixa<{ data: DixaQueue }>(
          'POST',
          '/v1/queues',
          { request: { ...QUEUE, name, offerTimeout } },
          201,
        )
      ).data;
    const queueA = await createQueue('Support A', OFFER_TIMEOUT_SECONDS);
    const queueB = await createQueue('Support B', 600);
    expect(queueA).toMatchObject({ offerTimeout: 1, offeringAlgorithm: 'LongestIdle' });
    for (const queue of [queueA, queueB]) {
      const agentIds = [ada.uuid, bo.uuid];
      const members = await dixa<{ data: unknown[] }>('PATCH', `/v1/queues/${queue.id}/members`, {
        agentIds,
      });
      expect(members.data).toEqual(agentIds.map((id) => ({ data: id, _type: 'BulkActionSuccess' })));
    }
    // Neither Dixa's API nor Parley's faces set a queue's usages (Dixa does it in its admin UI), so
    // the routing core's own function connects the inbox to queue A.
    const { db } = app.parley.ctx;
    const queueRow = await getQueue(db, org.accountId, queueA.id);
    const usage = { accountId: org.accountId, queueId: queueRow.id, inboxIds: [inbox.id] };
    await setQueueUsages(db, usage, { type: 'system' });
    const withUsages = await dixa<{ data: DixaQueue }>('GET', `/v1/queues/${queueA.id}`);
    expect(withUsages.data.usages).toEqual({
      queueId: queueA.id,
      usages: { WidgetChat: [expect.any(String)] },
    });

    const tag = (await dixa<{ data: { id: string } }>('POST', '/v1/tags', { name: 'Damaged parcel' }, 201))
      .data;
    const subscriptionInput = {
      name: 'E2E receiver',
      url: receiver.url(WEBHOOK_PATH),
      events: [...dixaWebhookEvents],
      authorization: { _type: 'TokenAuth', value: RECEIVER_TOKEN },
    };
    const subscription = (await dixa<{ data: Subscription }>('POST', '/v1/webhooks', subscriptionInput, 201))
      .data;
    expect([...subscription.subscribedEvents].sort()).toEqual([...dixaWebhookEvents].sort());
    expect(subscription.headers).toEqual({ Authorization: `Bearer ${RECEIVER_TOKEN}` });

    // The end user writes through the Chatwoot public API.
    const client = `/chatwoot/public/api/v1/inboxes/${inbox.inbox_identifier}`;
    const contact = await call<{ source_id: string }>('POST', `${client}/contacts`, {
      payload: { name: 'Vera Visitor', email: 'vera@visitor.example' },
    });
    const visitor = `${client}/contacts/${contact.source_id}`;
    const csid = (await call<{ id: number }>('POST', `${visitor}/conversations`, { payload: {} })).id;
    await call('POST', `${visitor}/conversations/${csid}/messages`, {
      payload: { content: 'My parcel arrived crushed', echo_id: 'vera-1' },
    });
    const hook = (fqn: string, match?: (data: Data) => boolean) => waitForWebhook(csid, fqn, match);
    const activity = (check: (log: Activity[]) => boolean, what: string) =>
      waitForActivity(csid, check, what);
    const conversation = (path: string) => `/v1/conversations/${csid}${path}`;

    // Queue A offers to Ada (never routed, lower id: LongestIdle's first pick); nobody accepts, the real
    // 1 s timeout expires and the offer moves on to Bo.
    const enqueuedA = await hook(
      'CONVERSATION_ENQUEUED',
      (data) => data.conversation?.queue?.id === queueA.id,
    );
    const log = await activity(
      (entries) =>
        ofType(entries, 'ConversationOfferTimeout').length > 0 && offersIn(entries, 'Support A').length > 1,
      'an offer, its timeout and the next offer',
    );
    const [toAda, toBo] = offersIn(log, 'Support A');
    const [timeout] = ofType(log, 'ConversationOfferTimeout');
    expect(toAda?.attributes?.agentNames).toEqual(['Ada Agent']);
    expect(toBo?.attributes?.agentNames).toEqual(['Bo Agent']);
    expect(seconds(toAda!.activityTimestamp, timeout!.activityTimestamp)).toBeGreaterThanOrEqual(1);
    expect(seconds(timeout!.activityTimestamp, toBo!.activityTimestamp)).toBeGreaterThanOrEqual(0);

    // Bo claims it through the Dixa face, answers, notes and tags it.
    await dixa('PUT', conversation('/claim'), { agentId: bo.uuid, force: false }, 204);
    const assignedToBo = await hook(
      'CONVERSATION_ASSIGNED',
      (data) => data.conversation?.assignee?.id === bo.uuid,
    );
    const reply = {
      _type: 'Outbound',
      agentId: bo.uuid,
      content: { _type: 'Text', value: 'A new one ships today.' },
    };
    await dixa('POST', conversation('/messages'), reply, 201);
    await dixa('POST', conversation('/notes'), { agentId: bo.uuid, message: 'Courier damage' }, 201);
    await dixa('PUT', conversation(`/tags/${tag.id}`), undefined, 204);

    // Bo transfers it to queue B, which offers it; Ada claims and closes it; Vera rates it.
    await dixa('PUT', conversation('/transfer/queue'), { queueId: queueB.id, userId: bo.uuid }, 204);
    const enqueuedB = await hook(
      'CONVERSATION_ENQUEUED',
      (data) => data.conversation?.queue?.id === queueB.id,
    );
    await activity((entries) => offersIn(entries, 'Support B').length === 1, 'the offer in queue B');
    await dixa('PUT', conversation('/claim'), { agentId: ada.uuid }, 204);
    const assignedToAda = await hook(
      'CONVERSATION_ASSIGNED',
      (data) => data.conversation?.assignee?.id === ada.uuid,
    );
    await dixa('PUT', conversation('/close'), { userId: ada.uuid }, 204);
    const rating = await call('POST', `/api/v1/accounts/${org.accountId}/conversations/${csid}/rating`, {
      payload: { score: 5, comment: 'Quick and kind', ratingType: 'csat' },
      headers: bearer(org.apiKey),
    });
    expect(rating).toMatchObject({ score: 5, agentId: ada.userId });

    // Every step's webhook arrived with the step's data, ...
    const created = await hook('CONVERSATION_CREATED');
    const outbound = await hook('CONVERSATION_MESSAGE_ADDED', (data) => data.direction === 'outbound');
    const closed = await hook('CONVERSATION_CLOSED');
    const requester = { name: 'Vera Visitor', email: 'vera@visitor.example' };
    const expected: [string, Record<string, unknown>][] = [
      [
        'CONVERSATION_CREATED',
        { conversation: { csid, channel: 'WIDGET_CHAT', direction: 'INBOUND', requester } },
      ],
      ['CONVERSATION_MESSAGE_ADDED', { direction: 'inbound', text: 'My parcel arrived crushed' }],
      [
        'CONVERSATION_MESSAGE_ADDED',
        { direction: 'outbound', text: 'A new one ships today.', author: { id: bo.uuid } },
      ],
      ['CONVERSATION_ENQUEUED', { queue: { id: queueA.id, name: 'Support A' } }],
      ['CONVERSATION_ASSIGNED', { agent: { id: bo.uuid }, conversation: { assignee: { id: bo.uuid } } }],
      ['CONVERSATION_NOTE_ADDED', { text: 'Courier damage', author: { id: bo.uuid } }],
      ['CONVERSATION_TAG_ADDED', { tag: 'Damaged parcel', conversation: { tags: [{ id: tag.id }] } }],
      ['CONVERSATION_UNASSIGNED', { agent: { id: bo.uuid } }],
      ['CONVERSATION_TRANSFERRED', { queue: { id: queueB.id }, from_queue: { id: queueA.id } }],
      ['CONVERSATION_ENQUEUED', { queue: { id: queueB.id, name: 'Support B' } }],
      ['CONVERSATION_ASSIGNED', { agent: { id: ada.uuid } }],
      ['CONVERSATION_CLOSED', { conversation: { status: 'CLOSED', assignee: { id: ada.uuid } } }],
      ['CONVERSATION_RATED', { score: 5, comment: 'Quick and kind', type: 'Csat', agent: { id: ada.uuid } }],
    ];
    for (const [fqn, shape] of expected) await hook(fqn, (data) => matches(data, shape));
    expect((await hook('CONVERSATION_TRANSFERRED')).body.data).toMatchObject({
      transferred_by: { id: bo.uuid },
    });

    // ... exactly once, with the chosen Authorization and a signature made with the secretKey.
    const deliveries = webhooks(csid);
    expect(deliveries.map(({ body }) => body.event_fqn).sort()).toEqual(expected.map(([fqn]) => fqn).sort());
    const { secretKey } = subscription;
    for (const { request, body } of deliveries) {
      const signature = String(request.headers['x-dixa-signature']);
      expect(request.headers.authorization, body.event_fqn).toBe(`Bearer ${RECEIVER_TOKEN}`);
      expect(request.headers['x-dixa-subscription-id'], body.event_fqn).toBe(subscription.id);
      expect(verifyDixaSignature(secretKey, { signature, body: request.body }), body.event_fqn).toBe(true);
      expect(verifyDixaSignature(secretKey, { signature, body: `${request.body} ` })).toBe(false);
      expect(body.organization.name).toBe('Parcel Co');
    }

    // The conversation as the Dixa face shows it, and its activity log in order.
    expect((await dixa<{ data: unknown }>('GET', conversation(''))).data).toMatchObject({
      _type: 'ChatConversation',
      id: csid,
      state: 'Closed',
      queue: { id: queueB.id },
      assignment: { agentId: ada.uuid },
    });
    const fullLog = await activity(
      (entries) => ofType(entries, 'ConversationRated').length === 1,
      'the rating',
    );
    const milestones = [
      ...['ConversationCreatedByCustomer', 'ConversationOffered', 'ConversationOfferTimeout'],
      ...['ConversationOffered', 'ConversationClaimed', 'MessageAddedByAgent', 'NoteAdded', 'TagAdded'],
      ...['TransferSuccessful', 'ConversationOffered', 'ConversationClaimed', 'ConversationClosed'],
      'ConversationRated',
    ];
    const reached = fullLog.reduce((at, entry) => (entry._type === milestones[at] ? at + 1 : at), 0);
    expect(reached, fullLog.map((entry) => entry._type).join(', ')).toBe(milestones.length);

    // Analytics: the counts exactly, the durations equal to those between the webhooks' events.
    await waitFor(async () => (await metric('csat')).Count === 1, { what: 'analytics', timeoutMs: WAIT_MS });
    const counts: Record<string, Record<string, number>> = {
      created_conversations: { Count: 1 },
      queued_conversations: { Count: 2 },
      offered_conversations: { Count: ofType(fullLog, 'ConversationOffered').length },
      assigned_conversations: { Count: 2 },
      closed_conversations: { Count: 1 },
      abandoned_conversations: { Count: 0 },
      abandoned_wait_time: { Count: 0, Sum: 0 },
      csat: { Count: 1, Sum: 5, Min: 5, Max: 5, Average: 5, StdDev: 0, Percentage: 100 },
    };
    for (const [id, values] of Object.entries(counts)) expect(await metric(id), id).toEqual(values);

    const at = (delivery: Delivery) => delivery.body.event_timestamp;
    const firstWait = seconds(at(enqueuedA), at(assignedToBo));
    expect(firstWait).toBeGreaterThanOrEqual(OFFER_TIMEOUT_SECONDS);
    const durations: Record<string, number[]> = {
      queue_wait_time: [firstWait, seconds(at(enqueuedB), at(assignedToAda))],
      first_response_time: [seconds(at(created), at(outbound))],
      handling_time: [seconds(at(assignedToAda), at(closed))],
      resolution_time: [seconds(at(created), at(closed))],
    };
    for (const [id, values] of Object.entries(durations)) {
      const reported = await metric(id);
      expect(reported.Count, id).toBe(values.length);
      expect(reported.Sum, `${id} Sum`).toBeCloseTo(sum(values), 3);
      expect(reported.Min, `${id} Min`).toBeCloseTo(Math.min(...values), 3);
      expect(reported.Max, `${id} Max`).toBeCloseTo(Math.max(...values), 3);
      expect(reported.Average, `${id} Average`).toBeCloseTo(sum(values) / values.length, 3);
    }
  });
});
