import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { events } from '../../platform/events/events.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { toggleConversationStatus } from '../../core/conversations/update-conversation.js';
import { getQueue, setQueueUsages } from '../../core/routing/index.js';
import { routingEntries } from '../../core/routing/routing.tables.js';
import { routingFixture } from '../../core/routing/routing-test-kit.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';

describe(`Dixa face: claim, transfer to a queue and reopen (${backendName})`, () => {
  let app: TestApp;
  let acme: DixaTestOrg;
  let other: DixaTestOrg;
  let fixture: ReturnType<typeof routingFixture>;
  let ann: { id: number; uuid: string };
  let bob: { id: number; uuid: string };
  let inboxId: number;
  let firstQueue: { id: string };
  let secondQueue: { id: string };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    acme = await created.organization('Acme routing');
    other = await created.organization('Other routing');
    fixture = routingFixture(app.parley.ctx.db, acme.accountId);
    // Offline agents: conversations wait in their queue, so the test decides who takes them.
    ann = await fixture.agent({ availability: 'offline' });
    bob = await fixture.agent({ availability: 'offline' });
    const queueRequest = { isDefault: false, callFunctionality: false, isDoNotOfferEnabled: false };
    firstQueue = (
      await acme.call('POST', '/v1/queues', { request: { ...queueRequest, name: 'First' } })
    ).json().data;
    secondQueue = (
      await acme.call('POST', '/v1/queues', { request: { ...queueRequest, name: 'Second' } })
    ).json().data;
    const inbox = await fixture.inbox();
    inboxId = inbox.id;
    const queueRow = await getQueue(app.parley.ctx.db, acme.accountId, firstQueue.id);
    await setQueueUsages(
      app.parley.ctx.db,
      {
        accountId: acme.accountId,
        queueId: queueRow.id,
        inboxIds: [inboxId],
      },
      { type: 'system' },
    );
    await app.parley.startBackground();
  }, 120_000);
  afterAll(() => app.close());

  async function waitingConversation() {
    const conversation = await fixture.conversation(inboxId);
    await waitFor(async () => (await liveEntry(conversation.id))?.state === 'waiting', {
      what: 'the queue entry',
    });
    return conversation;
  }

  async function liveEntry(conversationId: number) {
    const rows = await app.parley.ctx.db
      .select()
      .from(routingEntries)
      .where(
        and(eq(routingEntries.accountId, acme.accountId), eq(routingEntries.conversationId, conversationId)),
      )
      .orderBy(asc(routingEntries.id));
    return rows.at(-1);
  }

  async function row(conversationId: number) {
    const [found] = await app.parley.ctx.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    return found!;
  }

  async function payloadsOf(type: string, conversationId: number) {
    await app.parley.relay.drain();
    const rows = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, type), eq(events.aggregateId, String(conversationId))))
      .orderBy(asc(events.id));
    return rows.map((event) => event.payload);
  }

  it('claims a waiting conversation for an agent with 204 and no body; the queue entry ends assigned', async () => {
    const conversation = await waitingConversation();

    const response = await acme.call('PUT', `/v1/conversations/${conversation.displayId}/claim`, {
      agentId: ann.uuid,
      force: false,
    });

    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect((await row(conversation.id)).assigneeId).toBe(ann.id);
    expect((await liveEntry(conversation.id))?.state).toBe('assigned');
    const [claimed] = await payloadsOf('conversation.claimed', conversation.id);
    expect(claimed).toMatchObject({ agentId: ann.id, fromAgentId: null, queue: { uuid: firstQueue.id } });
  });

  it('refuses to take over an assigned conversation without force (409), and does with force', async () => {
    const conversation = await waitingConversation();
    await acme.call('PUT', `/v1/conversations/${conversation.displayId}/claim`, { agentId: ann.uuid });

    const refused = await acme.call('PUT', `/v1/conversations/${conversation.displayId}/claim`, {
      agentId: bob.uuid,
      force: false,
    });
    const forced = await acme.call('PUT', `/v1/conversations/${conversation.displayId}/claim`, {
      agentId: bob.uuid,
      force: true,
    });

    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({ message: expect.any(String) });
    expect(forced.statusCode).toBe(204);
    expect((await row(conversation.id)).assigneeId).toBe(bob.id);
    const claims = await payloadsOf('conversation.claimed', conversation.id);
    expect(claims.at(-1)).toMatchObject({ agentId: bob.id, fromAgentId: ann.id });
  });

  it('answers 400 for a bad claim body or id and 404 for an unknown conversation', async () => {
    const conversation = await waitingConversation();
    const stranger = await routingFixture(app.parley.ctx.db, other.accountId).agent();
    const path = `/v1/conversations/${conversation.displayId}/claim`;

    const statuses = [
      (await acme.call('PUT', path, {})).statusCode,
      (await acme.call('PUT', path, { agentId: 'nope' })).statusCode,
      (await acme.call('PUT', path, { agentId: stranger.uuid })).statusCode,
      (await acme.call('PUT', '/v1/conversations/abc/claim', { agentId: ann.uuid })).statusCode,
      (await acme.call('PUT', '/v1/conversations/999999/claim', { agentId: ann.uuid })).statusCode,
    ];

    expect(statuses).toEqual([400, 400, 400, 400, 404]);
    expect((await row(conversation.id)).assigneeId).toBeNull();
  });

  it('transfers to another queue: unassigned, waiting there, conversation.transferred recorded', async () => {
    const conversation = await waitingConversation();
    await acme.call('PUT', `/v1/conversations/${conversation.displayId}/claim`, { agentId: ann.uuid });

    const response = await acme.call('PUT', `/v1/conversations/${conversation.displayId}/transfer/queue`, {
      queueId: secondQueue.id,
      userId: bob.uuid,
    });

    expect(response.statusCode).toBe(204);
    expect((await row(conversation.id)).assigneeId).toBeNull();
    const entry = await liveEntry(conversation.id);
    const second = await getQueue(app.parley.ctx.db, acme.accountId, secondQueue.id);
    expect(entry).toMatchObject({ state: 'waiting', queueId: second.id });
    const [transferred] = await payloadsOf('conversation.transferred', conversation.id);
    expect(transferred).toMatchObject({
      fromQueue: { uuid: firstQueue.id },
      queue: { uuid: secondQueue.id, name: 'Second' },
      byUserId: bob.id,
    });
  });

  it('answers 400/404 for a bad transfer and 409 for a closed conversation', async () => {
    const conversation = await waitingConversation();
    const path = `/v1/conversations/${conversation.displayId}/transfer/queue`;
    const foreignQueue = (
      await other.call('POST', '/v1/queues', {
        request: { name: 'Foreign', isDefault: false, callFunctionality: false, isDoNotOfferEnabled: false },
      })
    ).json().data;

    expect((await acme.call('PUT', path, {})).statusCode).toBe(400);
    expect((await acme.call('PUT', path, { queueId: 'x' })).statusCode).toBe(400);
    expect((await acme.call('PUT', path, { queueId: foreignQueue.id })).statusCode).toBe(404);
    await app.parley.ctx.db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId: acme.accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: { type: 'system' },
      }),
    );
    expect((await acme.call('PUT', path, { queueId: secondQueue.id })).statusCode).toBe(409);
  });

  it('reopens a closed conversation in the queue it last waited in, with or without a body', async () => {
    const conversation = await waitingConversation();
    await acme.call('PUT', `/v1/conversations/${conversation.displayId}/transfer/queue`, {
      queueId: secondQueue.id,
    });
    await app.parley.ctx.db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId: acme.accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: { type: 'system' },
      }),
    );
    await waitFor(async () => (await liveEntry(conversation.id))?.state === 'abandoned', {
      what: 'abandonment',
    });

    const response = await acme.call('PUT', `/v1/conversations/${conversation.displayId}/reopen`, {
      userId: ann.uuid,
    });

    expect(response.statusCode).toBe(204);
    expect((await row(conversation.id)).status).toBe('open');
    const second = await getQueue(app.parley.ctx.db, acme.accountId, secondQueue.id);
    expect(await liveEntry(conversation.id)).toMatchObject({ state: 'waiting', queueId: second.id });
    const again = await app.parley.server.inject({
      method: 'PUT',
      url: `/dixa/v1/conversations/${conversation.displayId}/reopen`,
      headers: { authorization: acme.apiKey },
    });
    expect(again.statusCode).toBe(204);
    const entries = await app.parley.ctx.db
      .select()
      .from(routingEntries)
      .where(and(eq(routingEntries.conversationId, conversation.id), eq(routingEntries.state, 'waiting')));
    expect(entries).toHaveLength(1);
  });

  it("keeps organizations apart: another organization's conversation is 404 on claim, transfer and reopen", async () => {
    const conversation = await waitingConversation();
    const stranger = await routingFixture(app.parley.ctx.db, other.accountId).agent();
    const base = `/v1/conversations/${conversation.displayId}`;

    const statuses = [
      (await other.call('PUT', `${base}/claim`, { agentId: stranger.uuid, force: true })).statusCode,
      (await other.call('PUT', `${base}/transfer/queue`, { queueId: secondQueue.id })).statusCode,
      (await other.call('PUT', `${base}/reopen`, {})).statusCode,
    ];

    expect(statuses).toEqual([404, 404, 404]);
    expect((await row(conversation.id)).assigneeId).toBeNull();
    expect((await liveEntry(conversation.id))?.state).toBe('waiting');
  });
});
