import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { bearer, type TestApp } from '../../testing/app.js';
import { events } from '../../platform/events/events.tables.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import {
  emailConversationBody,
  seedChannelInbox,
  seedConversationAttribute,
  seedDixaAgent,
  seedEndUser,
} from './conversations.test-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTEGRATION = 'care@email.dixa.test';

describe('Dixa face: ratings, custom attributes and flows of conversations', () => {
  let app: TestApp;
  let inject: Inject;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let requester: { id: number; uuid: string };
  let agent: { userId: number; uuid: string };
  let conversationId: number;

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    inject = created.inject;
    orgA = await created.organization('Org A');
    orgB = await created.organization('Org B');
    await seedChannelInbox(app, orgA.accountId, 'email', { email: INTEGRATION });
    requester = await seedEndUser(app, orgA.accountId);
    agent = await seedDixaAgent(app, orgA.accountId);
    const response = await orgA.call(
      'POST',
      '/v1/conversations',
      emailConversationBody(requester.uuid, INTEGRATION),
    );
    conversationId = response.json<{ data: { id: number } }>().data.id;
    await app.parley.ctx.db
      .update(conversations)
      .set({ assigneeId: agent.userId })
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, conversationId)));
  });
  afterAll(() => app.close());

  const rate = (org: DixaTestOrg, id: number, body: unknown) =>
    inject({
      method: 'POST',
      url: `/api/v1/accounts/${org.accountId}/conversations/${id}/rating`,
      headers: bearer(org.apiKey),
      payload: body as object,
    });

  it('has no rating until the customer rates', async () => {
    const response = await orgA.call('GET', `/v1/conversations/${conversationId}/rating`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: [] });
  });

  it('records a rating through the native API and shows it as a ConversationRating', async () => {
    const recorded = await rate(orgA, conversationId, {
      score: 4,
      comment: 'Quick and kind',
      language: 'en',
    });

    expect(recorded.statusCode, recorded.body).toBe(200);
    const response = await orgA.call('GET', `/v1/conversations/${conversationId}/rating`);
    expect(response.json()).toEqual({
      data: [
        {
          id: expect.stringMatching(UUID),
          userId: requester.uuid,
          agentId: agent.uuid,
          language: 'en',
          ratingType: 'Csat',
          timestamps: {
            createdAt: expect.any(String),
            offeredAt: expect.any(String),
            ratedAt: expect.any(String),
          },
          ratingScore: 4,
          ratingStatus: 'Rated',
          ratingComment: 'Quick and kind',
          conversationChannel: 'Email',
        },
      ],
    });
  });

  it('replaces the rating when the customer rates again, and records conversation.rated each time', async () => {
    await rate(orgA, conversationId, { score: 1, ratingType: 'thumbs_up_or_down' });

    const response = await orgA.call('GET', `/v1/conversations/${conversationId}/rating`);
    const rated = await app.parley.ctx.db
      .select({ payload: events.payload })
      .from(events)
      .where(and(eq(events.accountId, orgA.accountId), eq(events.type, 'conversation.rated')));

    expect(response.json().data).toHaveLength(1);
    expect(response.json().data[0]).toMatchObject({ ratingType: 'ThumbsUpOrDown', ratingScore: 1 });
    expect(response.json().data[0]).not.toHaveProperty('ratingComment');
    expect(rated).toHaveLength(2);
    expect(rated[1]?.payload.rating).toEqual({
      id: expect.any(Number),
      uuid: response.json().data[0].id,
      score: 1,
      comment: null,
      agentId: agent.userId,
      ratingType: 'thumbs_up_or_down',
    });
    expect((rated[1]?.payload.conversation as { displayId: number }).displayId).toBe(conversationId);
  });

  it('refuses a score outside the scale', async () => {
    const response = await rate(orgA, conversationId, { score: 9 });

    expect(response.statusCode).toBe(422);
  });

  it('patches custom attributes by definition id and answers the conversation attributes', async () => {
    const orderId = await seedConversationAttribute(app, orgA.accountId, 'order_number', 'text');
    const reason = await seedConversationAttribute(app, orgA.accountId, 'reason', 'list', [
      'refund',
      'delivery',
    ]);

    const response = await orgA.call('PATCH', `/v1/conversations/${conversationId}/custom-attributes`, {
      [orderId]: '012345',
      [reason]: ['delivery'],
    });

    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().data).toEqual(
      expect.arrayContaining([
        { id: orderId, name: 'order number', identifier: 'order_number', value: '012345' },
        { id: reason, name: 'reason', identifier: 'reason', value: ['delivery'] },
      ]),
    );
    const conversation = await orgA.call('GET', `/v1/conversations/${conversationId}`);
    expect(conversation.json().data.customAttributes).toHaveLength(2);

    const removed = await orgA.call('PATCH', `/v1/conversations/${conversationId}/custom-attributes`, {
      [orderId]: null,
    });
    expect(removed.json().data).toEqual([expect.objectContaining({ id: reason })]);
  });

  it('refuses an unknown attribute id and a value outside the options', async () => {
    const reason = await seedConversationAttribute(app, orgA.accountId, 'channel_hint', 'list', ['a']);

    const unknown = await orgA.call('PATCH', `/v1/conversations/${conversationId}/custom-attributes`, {
      '2f5515b6-7e98-4f4d-9010-bfd2a27d4f35': 'x',
    });
    const outside = await orgA.call('PATCH', `/v1/conversations/${conversationId}/custom-attributes`, {
      [reason]: ['b'],
    });

    expect(unknown.statusCode).toBe(400);
    expect(outside.statusCode).toBe(400);
  });

  it('lists flows per channel from the inboxes, PstnPhone by default', async () => {
    const voice = await seedChannelInbox(app, orgA.accountId, 'voice', { phoneNumber: '+4570707070' });

    const phone = await orgA.call('GET', '/v1/conversations/flows');
    const email = await orgA.call('GET', '/v1/conversations/flows?channel=Email');
    const contactForm = await orgA.call('GET', '/v1/conversations/flows?channel=ContactForm');
    const bad = await orgA.call('GET', '/v1/conversations/flows?channel=Pigeon');

    expect(phone.statusCode).toBe(200);
    expect(phone.json().data).toEqual([
      {
        id: expect.stringMatching(UUID),
        name: expect.stringContaining('voice'),
        channel: 'PstnPhone',
        contactEndpointId: '+4570707070',
      },
    ]);
    expect(phone.json().data[0].id).not.toBe(voice.uuid);
    expect(email.json().data).toEqual([
      expect.objectContaining({ channel: 'Email', contactEndpointId: INTEGRATION }),
    ]);
    expect(contactForm.json().data[0].id).not.toBe(email.json().data[0].id);
    expect(bad.statusCode).toBe(400);
  });

  it("keeps organizations apart: B can neither read nor rate nor patch A's conversation, and sees its own flows", async () => {
    const reason = await seedConversationAttribute(app, orgA.accountId, 'tier', 'text');

    const rating = await orgB.call('GET', `/v1/conversations/${conversationId}/rating`);
    const rated = await rate(orgB, conversationId, { score: 1 });
    const patched = await orgB.call('PATCH', `/v1/conversations/${conversationId}/custom-attributes`, {
      [reason]: 'gold',
    });
    const flows = await orgB.call('GET', '/v1/conversations/flows?channel=Email');

    expect(rating.statusCode).toBe(404);
    expect(rated.statusCode).toBe(404);
    expect(patched.statusCode).toBe(404);
    expect(flows.json()).toEqual({ data: [] });
    const own = await orgA.call('GET', `/v1/conversations/${conversationId}/rating`);
    expect(own.json().data[0].ratingScore).toBe(1);
  });
});
