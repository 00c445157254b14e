import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { events } from '../../platform/events/events.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations, messages } from '../../core/conversations/conversations.tables.js';
import { findConversationByDisplayId, loadConversationSnapshots } from '../../core/conversations/index.js';
import { activityLog } from '../../core/activity-log/activity-log.tables.js';
import { createActivityLogConsumer } from '../../core/activity-log/index.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

interface Entry {
  id: string;
  _type: string;
  activityType: string;
  conversationId: number;
  activityTimestamp: string;
  author?: { id: string; name?: string; email?: string; phoneNumber?: string };
  attributes?: Record<string, unknown>;
}

describe(`Dixa face: conversation activity log (${backendName})`, () => {
  let app: TestApp;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let agent: { userId: number; token: string; name: string };
  let agentUuid: string;
  let contactId: number;
  let inboxId: number;
  let chatwoot: ChatwootClient;
  let displayId: number;

  const db = () => app.parley.ctx.db;
  const base = (org: DixaTestOrg) => `/api/v1/accounts/${org.accountId}/conversations`;
  const activityOf = async (org: DixaTestOrg, id: number): Promise<Entry[]> => {
    await app.parley.relay.drain();
    const response = await org.call('GET', `/v1/conversations/${id}/activitylog`);
    expect(response.statusCode).toBe(200);
    return response.json<{ data: Entry[] }>().data;
  };
  const internalIdOf = async (org: DixaTestOrg, id: number) =>
    (await findConversationByDisplayId(db(), org.accountId, id))?.id ?? 0;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    orgA = await created.organization('Activity A');
    orgB = await created.organization('Activity B');
    agent = await seedAgent(app, orgA.accountId, { name: 'Ada Agent' });
    const [row] = await db().select({ uuid: users.uuid }).from(users).where(eq(users.id, agent.userId));
    agentUuid = row?.uuid ?? '';
    inboxId = await seedInbox(app, orgA.accountId, { memberIds: [agent.userId] });
    contactId = await seedContact(app, orgA.accountId, { name: 'Carl Customer', email: 'carl@example.com' });
    chatwoot = chatwootClient(app, agent.token);
    displayId = await openConversation(chatwoot, orgA.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
  });
  afterAll(() => app.close());

  it('logs real actions in order with the seed entry shape', async () => {
    const url = `${base(orgA)}/${displayId}`;
    await chatwoot.post(`${url}/messages`, { content: 'Where is my parcel?', message_type: 'incoming' });
    await chatwoot.post(`${url}/messages`, { content: 'On its way' });
    await chatwoot.post(`${url}/messages`, { content: 'Check the carrier', private: true });
    expect((await chatwoot.post(`${url}/assignments`, { assignee_id: agent.userId })).statusCode).toBe(200);
    const tag = (await orgA.call('POST', '/v1/tags', { name: 'Shipping' })).json<{ data: { id: string } }>()
      .data;
    expect((await orgA.call('PUT', `/v1/conversations/${displayId}/tags/${tag.id}`)).statusCode).toBe(204);
    await chatwoot.post(`${url}/toggle_status`, { status: 'resolved' });
    await chatwoot.post(`${url}/toggle_status`, { status: 'open' });
    expect((await orgA.call('DELETE', `/v1/conversations/${displayId}/tags/${tag.id}`)).statusCode).toBe(204);
    await chatwoot.post(`${url}/assignments`, { assignee_id: null });

    const entries = await activityOf(orgA, displayId);

    expect(entries.map((entry) => entry._type)).toEqual([
      'ConversationCreatedByCustomer',
      'MessageAddedByCustomer',
      'MessageAddedByAgent',
      'NoteAdded',
      'ConversationAssigned',
      'TagAdded',
      'ConversationClosed',
      'ConversationReopened',
      'TagRemoved',
      'ConversationUnassigned',
    ]);
    for (const entry of entries) {
      expect(entry.activityType).toBe(`${entry._type}ActivityType`);
      expect(entry.conversationId).toBe(displayId);
      expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(entry.activityTimestamp).toISOString()).toBe(entry.activityTimestamp);
      expect(Object.values(entry)).not.toContain(null);
    }
    const times = entries.map((entry) => entry.activityTimestamp);
    expect(times).toEqual([...times].sort());
    const [contact] = await db()
      .select({ uuid: contacts.uuid })
      .from(contacts)
      .where(eq(contacts.id, contactId));
    const byType = new Map(entries.map((entry) => [entry._type, entry]));
    expect(byType.get('ConversationCreatedByCustomer')?.author).toEqual({
      id: contact?.uuid,
      name: 'Carl Customer',
      email: 'carl@example.com',
    });
    const messageRows = await db()
      .select({ uuid: messages.uuid, content: messages.content })
      .from(messages)
      .where(eq(messages.accountId, orgA.accountId))
      .orderBy(asc(messages.id));
    const uuidOf = (content: string) => messageRows.find((row) => row.content === content)?.uuid;
    expect(byType.get('MessageAddedByCustomer')?.attributes).toEqual({
      messageId: uuidOf('Where is my parcel?'),
    });
    expect(byType.get('MessageAddedByCustomer')?.author?.id).toBe(contact?.uuid);
    expect(byType.get('MessageAddedByAgent')).toMatchObject({
      author: { id: agentUuid, name: 'Ada Agent' },
      attributes: { messageId: uuidOf('On its way') },
    });
    expect(byType.get('NoteAdded')?.attributes).toEqual({ message: 'Check the carrier' });
    expect(byType.get('ConversationAssigned')?.attributes).toEqual({
      agentId: agentUuid,
      agentName: 'Ada Agent',
    });
    expect(byType.get('TagAdded')?.attributes).toEqual({ tag: 'Shipping' });
    expect(byType.get('TagRemoved')?.attributes).toEqual({ tag: 'Shipping' });
    expect(byType.get('ConversationClosed')?.author?.id).toBe(agentUuid);
    expect(byType.get('ConversationUnassigned')?.attributes).toEqual({
      agent: { id: agentUuid, name: 'Ada Agent', email: expect.stringContaining('@') },
    });
  });

  it('maps routing and rating events by their type strings', async () => {
    const id = await internalIdOf(orgA, displayId);
    const snapshot = (await loadConversationSnapshots(db(), orgA.accountId, [id])).get(id);
    const queue = { id: 7, uuid: '6f1c2d6e-0000-4000-8000-00000000abcd', name: 'Tier 1' };
    const event = (type: string, payload: Record<string, unknown>) => ({
      accountId: orgA.accountId,
      type,
      aggregateType: 'conversation',
      aggregateId: String(id),
      actor: { type: 'system' },
      payload: { conversation: snapshot, ...payload },
    });
    await db()
      .insert(events)
      .values([
        event('conversation.enqueued', { queue }),
        event('conversation.offered', {
          queue,
          offerId: 1,
          agentIds: [agent.userId],
          expiresAt: new Date().toISOString(),
        }),
        event('conversation.offer_declined', { queue, offerId: 1, agentId: agent.userId }),
        event('conversation.offer_expired', { queue, offerId: 1, agentIds: [agent.userId] }),
        event('conversation.offer_accepted', { queue, offerId: 2, agentId: agent.userId }),
        event('conversation.claimed', { queue, agentId: agent.userId, fromAgentId: null }),
        event('conversation.transferred', { fromQueue: null, queue, byUserId: agent.userId }),
        event('conversation.rated', {
          rating: { id: 1, uuid: 'r', score: 5, comment: 'Great', agentId: agent.userId, ratingType: 'Csat' },
        }),
      ]);

    const entries = (await activityOf(orgA, displayId)).slice(10);

    expect(entries.map((entry) => entry._type)).toEqual([
      'ConversationOffered',
      'ConversationOfferRejected',
      'ConversationOfferTimeout',
      'ConversationOfferAccepted',
      'ConversationClaimed',
      'TransferSuccessful',
      'ConversationRated',
    ]);
    expect(entries[0]?.attributes).toEqual({ agentNames: ['Ada Agent'], queueLabel: 'Tier 1' });
    expect(entries[1]?.author?.id).toBe(agentUuid);
    expect(entries[4]?.attributes).toEqual({ claimedFromType: 'Queue', claimedFromLabel: 'Tier 1' });
    expect(entries[5]?.attributes).toEqual({
      transferType: 'Queue',
      destinationType: 'Queue',
      destinationId: queue.uuid,
      destinationLabel: 'Tier 1',
    });
    expect(entries[6]?.attributes).toMatchObject({ agent: { id: agentUuid }, score: 5, message: 'Great' });
  });

  it('logs a conversation the team started as created by the agent, with its first assignee', async () => {
    const started = await openConversation(chatwoot, orgA.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
      assignee_id: agent.userId,
    });
    // The event is read when the relay dispatches it, so the row's direction set now is what counts.
    await db()
      .update(conversations)
      .set({ direction: 'outbound', subject: 'Your order' })
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, started)));

    const entries = await activityOf(orgA, started);

    expect(entries.map((entry) => [entry._type, entry.author?.id])).toEqual([
      ['ConversationCreatedByAgent', agentUuid],
      ['ConversationAssigned', agentUuid],
    ]);
    expect(entries[0]?.attributes).toEqual({ subject: 'Your order' });
  });

  it("logs a snooze as Dixa's pending, and opening it early as the follow-up removed", async () => {
    const snoozed = await openConversation(chatwoot, orgA.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
    const url = `${base(orgA)}/${snoozed}/toggle_status`;
    expect((await chatwoot.post(url, { status: 'snoozed' })).statusCode).toBe(200);
    expect((await chatwoot.post(url, { status: 'open' })).statusCode).toBe(200);

    const entries = await activityOf(orgA, snoozed);

    expect(entries.map((entry) => entry._type)).toEqual([
      'ConversationCreatedByCustomer',
      'ConversationPending',
      'FollowupRemoved',
    ]);
  });

  it('writes each event once, however often the relay hands it over', async () => {
    const count = async () =>
      (
        await db()
          .select({ id: activityLog.id })
          .from(activityLog)
          .where(eq(activityLog.accountId, orgA.accountId))
      ).length;
    const before = await count();
    const batch = await db()
      .select()
      .from(events)
      .where(eq(events.accountId, orgA.accountId))
      .orderBy(asc(events.id));

    await db().transaction((tx) => createActivityLogConsumer().handle(tx, batch));

    expect(before).toBeGreaterThan(10);
    expect(await count()).toBe(before);
  });

  it('pages the organization log with pageLimit/pageKey links, oldest first, filtered by date', async () => {
    const second = await openConversation(chatwoot, orgA.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
    await chatwoot.post(`${base(orgA)}/${second}/messages`, {
      content: 'Hello again',
      message_type: 'incoming',
    });
    await app.parley.relay.drain();
    const logged = [...(await activityOf(orgA, displayId)), ...(await activityOf(orgA, second))];
    const all = (await orgA.call('GET', '/v1/conversations/activitylog?pageLimit=500')).json<{
      data: Entry[];
    }>().data;
    expect(all.map((entry) => entry.id)).toEqual(expect.arrayContaining(logged.map((entry) => entry.id)));

    const seen: Entry[] = [];
    let url: string | undefined = '/v1/conversations/activitylog?pageLimit=4';
    const pages: { data: Entry[]; meta: { next?: string; previous?: string } }[] = [];
    while (url) {
      const response = await orgA.call('GET', url);
      expect(response.statusCode).toBe(200);
      const page = response.json<{ data: Entry[]; meta: { next?: string; previous?: string } }>();
      pages.push(page);
      seen.push(...page.data);
      url = page.meta.next?.replace(/^\/dixa/, '');
    }

    expect(seen.map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(seen.length);
    expect(pages.length).toBeGreaterThan(3);
    const order = seen.map((entry) => entry.activityTimestamp);
    expect(order).toEqual([...order].sort());
    expect(pages[0]?.meta.previous).toBeUndefined();
    const back = await orgA.call('GET', (pages[1]?.meta.previous ?? '').replace(/^\/dixa/, ''));
    expect(back.json<{ data: Entry[] }>().data.map((entry) => entry.id)).toEqual(
      pages[0]?.data.map((entry) => entry.id),
    );
    const future = await orgA.call('GET', '/v1/conversations/activitylog?fromDatetime=2999-01-01T00:00:00Z');
    expect(future.json()).toEqual({ data: [], meta: {} });
    const past = await orgA.call('GET', '/v1/conversations/activitylog?toDatetime=2000-01-01T00:00:00.000Z');
    expect(past.json().data).toEqual([]);
    const recent = await orgA.call(
      'GET',
      `/v1/conversations/activitylog?pageLimit=500&fromDatetime=${encodeURIComponent(order[0] ?? '')}`,
    );
    expect(recent.json().data).toHaveLength(seen.length);
  });

  it('answers 400 for a malformed date, page key or limit, and 404 for an unknown conversation', async () => {
    const yearZero = Buffer.from(
      JSON.stringify({ cursor: { occurredAt: '0000-01-01T00:00:00Z', id: 1 }, direction: 'next' }),
    ).toString('base64');
    for (const query of [
      'fromDatetime=yesterday',
      'toDatetime=0000-01-01T00:00:00Z',
      'pageKey=bm90LWEta2V5',
      `pageKey=${encodeURIComponent(yearZero)}`,
      'pageLimit=0',
      'pageLimit=501',
    ]) {
      const response = await orgA.call('GET', `/v1/conversations/activitylog?${query}`);
      expect(response.statusCode).toBe(400);
      expect(Object.keys(response.json())).toEqual(['message']);
    }
    expect((await orgA.call('GET', '/v1/conversations/424242/activitylog')).statusCode).toBe(404);
    expect((await orgA.call('GET', '/v1/conversations/x/activitylog')).statusCode).toBe(400);
  });

  it('keeps each organization to its own log', async () => {
    const inboxB = await seedInbox(app, orgB.accountId);
    const contactB = await seedContact(app, orgB.accountId);
    const clientB = chatwootClient(app, orgB.apiKey);
    const displayB = await openConversation(clientB, orgB.accountId, {
      inbox_id: inboxB,
      contact_id: contactB,
    });
    const idsA = (await activityOf(orgA, displayId)).map((entry) => entry.id);
    const [rowA] = await db()
      .select({ displayId: conversations.displayId })
      .from(conversations)
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, displayId)));

    const ownB = await activityOf(orgB, displayB);
    const listB = await orgB.call('GET', '/v1/conversations/activitylog?pageLimit=500');

    expect(rowA?.displayId).toBe(displayId);
    expect(ownB.map((entry) => entry._type)).toEqual(['ConversationCreatedByCustomer']);
    for (const id of idsA) expect(listB.body).not.toContain(id);
    expect(listB.json().data).toHaveLength(1);
    expect((await orgB.call('GET', `/v1/conversations/${displayB + 50}/activitylog`)).statusCode).toBe(404);
  });
});
