import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { events, type EventRow } from '../../platform/events/events.tables.js';
import { loadConversationSnapshots } from '../../core/conversations/index.js';
import type { ConversationSnapshot } from '../../core/conversations/conversations.events.js';
import { conversationUpdated } from '../../core/conversations/conversations.events.js';
import {
  conversationAbandoned,
  conversationClaimed,
  conversationEnqueued,
  conversationTransferred,
} from '../../core/routing/routing.events.js';
import { conversationRated } from '../../core/conversations/ratings.events.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { dixaWebhookFormat } from './webhook-format.js';
import { dixaWebhookEvents } from './webhook-events.js';
import { verifyDixaSignature } from './webhook-signing.js';

/** Routing and rating events come from other modules: recorded directly here, then rendered. */
describe('Dixa webhook format', () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let snapshot: ConversationSnapshot;
  let agent: { id: number; uuid: string };
  let newContact: { id: number; uuid: string };
  let lastEventId = 0;
  const queue = { id: 7, uuid: randomUUID(), name: 'Support queue' };
  const otherQueue = { id: 8, uuid: randomUUID(), name: 'Billing queue' };

  const subscription = (events: readonly string[] = dixaWebhookEvents): WebhookSubscriptionRow => ({
    accountId: org.accountId,
    id: 1,
    uuid: randomUUID(),
    format: 'dixa',
    name: 'test',
    url: 'http://127.0.0.1/hook',
    events: [...events],
    enabled: true,
    secret: 'ab'.repeat(32),
    signatureAlgorithm: 'sha256',
    options: { secrets: { authorization: { type: 'basic', username: 'u', password: 'p' } } },
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    consecutiveFailures: 0,
    secretsSealed: false,
    circuitOpenUntil: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  /** The events recorded since the last call, as the fan-out would hand them to the format. */
  async function newEvents(): Promise<EventRow[]> {
    const rows = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.accountId, org.accountId), gt(events.id, lastEventId)))
      .orderBy(asc(events.id));
    lastEventId = rows.at(-1)?.id ?? lastEventId;
    return rows;
  }

  async function render(rows: EventRow[], sub = subscription()) {
    const prepared = await dixaWebhookFormat.prepare!(app.parley.ctx.db, rows);
    const context = { account: { id: org.accountId, name: 'Format Org' }, prepared };
    return rows.flatMap((row) =>
      dixaWebhookFormat.renderMany!(row, sub, context).map((rendered) => ({
        eventType: rendered.eventType,
        body: JSON.parse(rendered.body) as {
          event_id: string;
          event_fqn: string;
          data: Record<string, unknown>;
        },
        raw: rendered.body,
      })),
    );
  }

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Format Org');
    const db = app.parley.ctx.db;
    const seeded = await seedAgent(app, org.accountId, { name: 'Rita Router' });
    const [agentRow] = await db.select({ uuid: users.uuid }).from(users).where(eq(users.id, seeded.userId));
    agent = { id: seeded.userId, uuid: agentRow!.uuid };
    const contactId = await seedContact(app, org.accountId, { name: 'First Requester' });
    const replacementId = await seedContact(app, org.accountId, { name: 'Second Requester' });
    const [replacement] = await db
      .select({ uuid: contacts.uuid })
      .from(contacts)
      .where(and(eq(contacts.accountId, org.accountId), eq(contacts.id, replacementId)));
    newContact = { id: replacementId, uuid: replacement!.uuid };
    const inboxId = await seedInbox(app, org.accountId);
    const displayId = await openConversation(chatwootClient(app, org.apiKey), org.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
    const [row] = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, org.accountId), eq(conversations.displayId, displayId)));
    snapshot = (await loadConversationSnapshots(db, org.accountId, [row!.id])).get(row!.id)!;
    await newEvents();
  }, 120_000);
  afterAll(() => app.close());

  const record = <T extends Record<string, unknown>>(
    definition: Parameters<typeof recordEvent<T>>[1],
    payload: T,
  ) =>
    app.parley.ctx.db.transaction((tx) =>
      recordEvent(tx, definition, {
        accountId: org.accountId,
        aggregateId: snapshot.id,
        payload,
        actor: { type: 'user', id: agent.id },
      }),
    );

  it('renders enqueued, transferred and abandoned with the queue, and ignores a claim', async () => {
    await record(conversationEnqueued, { conversation: snapshot, queue });
    await record(conversationTransferred, {
      conversation: snapshot,
      fromQueue: queue,
      queue: otherQueue,
      byUserId: agent.id,
    });
    await record(conversationClaimed, {
      conversation: snapshot,
      queue: otherQueue,
      agentId: agent.id,
      fromAgentId: null,
    });
    await record(conversationAbandoned, { conversation: snapshot, queue: otherQueue, waitedMs: 1200 });

    const rendered = await render(await newEvents());

    expect(rendered.map((item) => item.eventType)).toEqual([
      'ConversationEnqueued',
      'ConversationTransferred',
      'ConversationAbandoned',
    ]);
    const [enqueued, transferred, abandoned] = rendered;
    expect(enqueued?.body).toMatchObject({
      event_fqn: 'CONVERSATION_ENQUEUED',
      data: {
        queue: { id: queue.uuid, name: 'Support queue' },
        conversation: { csid: snapshot.displayId, queue: { id: queue.uuid, name: 'Support queue' } },
      },
    });
    expect(transferred?.body.data).toMatchObject({
      queue: { id: otherQueue.uuid },
      from_queue: { id: queue.uuid },
      transferred_by: { id: agent.uuid, name: 'Rita Router', user_type: 'Member' },
    });
    expect(abandoned?.body).toMatchObject({
      event_fqn: 'CONVERSATION_ABANDONED',
      data: { queue: { id: otherQueue.uuid } },
    });
  });

  it("fills contact_point with the inbox's address, and omits it where the channel has none", async () => {
    const addressed = async (channelType: 'email' | 'sms', channelSettings: Record<string, string>) => {
      const [inbox] = await app.parley.ctx.db
        .insert(inboxes)
        .values({
          accountId: org.accountId,
          name: `${channelType} inbox`,
          channelType,
          identifier: randomUUID(),
          channelSettings,
        })
        .returning({ id: inboxes.id });
      return { ...snapshot, inboxId: inbox!.id, inbox: { ...snapshot.inbox, id: inbox!.id, channelType } };
    };
    const byEmail = await addressed('email', { email: 'help@format.example', password: 'imap secret' });
    const bySms = await addressed('sms', { phoneNumber: '+4570000001', providerKey: 'sms secret' });
    for (const conversation of [snapshot, byEmail, bySms]) {
      await record(conversationEnqueued, { conversation, queue });
    }

    const rendered = await render(await newEvents());

    const [api, email, sms] = rendered.map((item) => item.body.data.conversation as Record<string, unknown>);
    expect(api).not.toHaveProperty('contact_point');
    expect(email).toMatchObject({ channel: 'EMAIL', contact_point: 'help@format.example' });
    expect(sms).toMatchObject({ channel: 'SMS', contact_point: '+4570000001' });
    expect(rendered.map((item) => item.raw).join()).not.toMatch(/secret/);
  });

  it('renders a rating with its score, comment, type and agent', async () => {
    const rating = {
      id: 3,
      uuid: randomUUID(),
      score: 4,
      comment: 'Great help',
      agentId: agent.id,
      ratingType: 'csat',
    };
    await record(conversationRated, { conversation: snapshot, rating });

    const [rated] = await render(await newEvents());

    expect(rated?.body).toMatchObject({
      event_fqn: 'CONVERSATION_RATED',
      data: {
        rating_id: rating.uuid,
        score: 4,
        comment: 'Great help',
        type: 'Csat',
        agent: { id: agent.uuid },
        conversation: { csid: snapshot.displayId },
      },
    });
  });

  it("renders a conversation's requester change as ConversationEndUserReplaced with both end users", async () => {
    const moved = {
      ...snapshot,
      contactId: newContact.id,
      contact: { ...snapshot.contact, id: newContact.id, name: 'Second Requester' },
    };
    await record(conversationUpdated, {
      conversation: moved,
      changes: { contact_id: { from: snapshot.contact.id, to: newContact.id } },
    });

    const [replaced] = await render(await newEvents());

    expect(replaced?.body).toMatchObject({
      event_fqn: 'CONVERSATION_END_USER_REPLACED',
      data: {
        old_requester: { name: 'First Requester', user_type: 'Contact' },
        new_requester: { id: newContact.uuid, name: 'Second Requester' },
      },
    });
  });

  it('renders only subscribed events, none for an empty list, with stable event ids', async () => {
    await record(conversationEnqueued, { conversation: snapshot, queue });
    await record(conversationAbandoned, { conversation: snapshot, queue, waitedMs: 5 });
    const rows = await newEvents();

    const onlyAbandoned = await render(rows, subscription(['ConversationAbandoned']));
    const none = await render(rows, subscription([]));
    const twice = [await render(rows), await render(rows)];

    expect(onlyAbandoned.map((item) => item.eventType)).toEqual(['ConversationAbandoned']);
    expect(none).toEqual([]);
    expect(twice[0]?.map((item) => item.body.event_id)).toEqual(twice[1]?.map((item) => item.body.event_id));
    expect(new Set(twice[0]?.map((item) => item.body.event_id)).size).toBe(2);
  });

  it('signs the exact body with the hex secret key and adds the stored authorization', () => {
    const sub = subscription();
    const body = '{"event_fqn":"CONVERSATION_CREATED"}';

    const { headers } = dixaWebhookFormat.sign({
      deliveryId: randomUUID(),
      eventType: 'ConversationCreated',
      body,
      subscription: sub,
      timestampSeconds: Math.floor(Date.now() / 1000),
    });

    expect(headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(headers['x-dixa-subscription-id']).toBe(sub.uuid);
    expect(verifyDixaSignature(sub.secret, { signature: headers['x-dixa-signature']!, body })).toBe(true);
    expect(verifyDixaSignature('cd'.repeat(32), { signature: headers['x-dixa-signature']!, body })).toBe(
      false,
    );
  });
});
