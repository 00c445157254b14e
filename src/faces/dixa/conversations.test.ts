import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { createQueue } from '../../core/routing/queues.js';
import { inboxMembers } from '../../core/inboxes/inboxes.tables.js';
import { loadConversationRelations } from '../../core/conversations/conversation-relations.js';
import { assignConversation } from '../../core/conversations/assign-conversation.js';
import { toggleConversationStatus } from '../../core/conversations/update-conversation.js';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import {
  emailConversationBody,
  seedChannelInbox,
  seedDixaAgent,
  seedEndUser,
} from './conversations.test-kit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INTEGRATION = 'support@email.dixa.test';
const SMS_NUMBER = '+4520304050';

describe('Dixa face: creating and reading conversations', () => {
  let app: TestApp;
  let orgA: DixaTestOrg;
  let orgB: DixaTestOrg;
  let requester: { id: number; uuid: string };
  let agent: { userId: number; uuid: string };
  let widget: { id: number; uuid: string };
  let voice: { id: number; uuid: string };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    orgA = await created.organization('Org A');
    orgB = await created.organization('Org B');
    await seedChannelInbox(app, orgA.accountId, 'email', { email: INTEGRATION });
    widget = await seedChannelInbox(app, orgA.accountId, 'web_widget');
    await seedChannelInbox(app, orgA.accountId, 'sms', { phoneNumber: SMS_NUMBER });
    voice = await seedChannelInbox(app, orgA.accountId, 'voice', { phoneNumber: '+4511111111' });
    requester = await seedEndUser(app, orgA.accountId, {
      email: 'jane@customer.test',
      phoneNumber: '+4599999999',
    });
    agent = await seedDixaAgent(app, orgA.accountId);
  });
  afterAll(() => app.close());

  async function create(body: unknown, org = orgA) {
    const response = await org.call('POST', '/v1/conversations', body);
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json<{ data: { id: number } }>().data.id;
    expect(Number.isInteger(id)).toBe(true);
    return id;
  }

  async function get(id: number, org = orgA) {
    const response = await org.call('GET', `/v1/conversations/${id}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: Record<string, unknown> }>().data;
  }

  it('creates an inbound email conversation and reads it back as an EmailConversation', async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION));

    const conversation = await get(id);

    expect(conversation).toEqual({
      _type: 'EmailConversation',
      id,
      requesterId: requester.uuid,
      channel: 'Email',
      createdAt: expect.stringMatching(ISO),
      state: 'Open',
      direction: 'Inbound',
      stateUpdatedAt: expect.stringMatching(ISO),
      subject: 'order #123',
      language: 'en',
      fromEmail: 'jane@customer.test',
      toEmail: INTEGRATION,
      integrationEmail: INTEGRATION,
    });
    expect(Object.values(conversation)).not.toContain(null);
  });

  it('records the first message as the requester writing, and the channel it came on', async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION, 'Where is my parcel?'));

    const messages = await orgA.call('GET', `/v1/conversations/${id}/messages`);

    expect(messages.statusCode).toBe(200);
    const [message] = messages.json<{ data: Record<string, unknown>[] }>().data;
    expect(message).toMatchObject({
      id: expect.stringMatching(UUID),
      authorId: requester.uuid,
      createdAt: expect.stringMatching(ISO),
      attributes: {
        _type: 'EmailAttributes',
        from: { email: 'jane@customer.test' },
        direction: 'Inbound',
        isAutoReply: false,
        emailContent: { _type: 'Regular', content: { _type: 'Text', value: 'Where is my parcel?' } },
      },
    });
  });

  it('creates a contact form on the email integration as a ContactFormConversation', async () => {
    const id = await create({ ...emailConversationBody(requester.uuid, INTEGRATION), _type: 'ContactForm' });

    const conversation = await get(id);

    expect(conversation).toMatchObject({
      _type: 'ContactFormConversation',
      channel: 'ContactForm',
      fromEmail: 'jane@customer.test',
      subject: 'order #123',
    });
  });

  it('creates an outbound chat on a widget with browser info, authored by the agent', async () => {
    const id = await create({
      _type: 'Chat',
      requesterId: requester.uuid,
      widgetId: widget.uuid,
      language: 'da',
      browserInfo: { name: 'Firefox', version: '128', originatingUrl: 'https://shop.test/cart' },
      message: { _type: 'Outbound', agentId: agent.uuid, content: { _type: 'Html', value: '<p>Hi!</p>' } },
    });

    const conversation = await get(id);
    const messages = await orgA.call('GET', `/v1/conversations/${id}/messages`);

    expect(conversation).toMatchObject({
      _type: 'ChatConversation',
      channel: 'WidgetChat',
      direction: 'Outbound',
      language: 'da',
      browserInfo: { name: 'Firefox', version: '128', originatingUrl: 'https://shop.test/cart' },
    });
    expect(messages.json().data[0]).toMatchObject({
      authorId: agent.uuid,
      attributes: {
        _type: 'ChatAttributes',
        isAutomated: false,
        direction: 'Outbound',
        content: { _type: 'Html', value: '<p>Hi!</p>' },
      },
    });
  });

  it('creates an SMS conversation on the number named as contact endpoint', async () => {
    const id = await create({
      _type: 'Sms',
      requesterId: requester.uuid,
      contactEndpointId: SMS_NUMBER,
      message: { _type: 'Inbound', content: { value: 'STOP' } },
    });

    expect(await get(id)).toMatchObject({
      _type: 'SmsConversation',
      channel: 'Sms',
      fromNumber: '+4599999999',
      toNumber: SMS_NUMBER,
    });
  });

  it('creates a callback in the queue it names, shown as a phone conversation with its queue', async () => {
    const queue = await createQueue(
      app.parley.ctx.db,
      {
        accountId: orgA.accountId,
        name: 'Callbacks',
        isDefault: false,
        isDoNotOfferEnabled: false,
        callFunctionality: true,
      },
      { type: 'system' },
    );

    const id = await create({
      _type: 'Callback',
      requesterId: requester.uuid,
      direction: 'Outbound',
      contactEndpointId: '+4511111111',
      queueId: queue.uuid,
    });

    const conversation = await get(id);
    expect(conversation).toMatchObject({
      _type: 'PstnPhoneConversation',
      channel: 'Callback',
      direction: 'Outbound',
      queue: { id: queue.uuid, queuedAt: expect.stringMatching(ISO) },
    });
    const [row] = await app.parley.ctx.db
      .select({ inboxId: conversations.inboxId })
      .from(conversations)
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, id)));
    expect(row?.inboxId).toBe(voice.id);
  });

  it('maps statuses to Dixa states and shows when the agent was assigned', async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION));
    const db = app.parley.ctx.db;
    const [row] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, id)));
    if (!row) throw new Error('no conversation');
    await db
      .insert(inboxMembers)
      .values({ accountId: orgA.accountId, inboxId: row.inboxId, userId: agent.userId });
    const before = Date.now();
    await db.transaction(async (tx) => {
      await assignConversation(tx, {
        accountId: orgA.accountId,
        conversationId: row.id,
        assigneeId: agent.userId,
        actor: { type: 'system' },
      });
      await toggleConversationStatus(tx, {
        accountId: orgA.accountId,
        conversationId: row.id,
        status: 'snoozed',
        actor: { type: 'system' },
      });
    });

    const snoozed = await get(id);
    await db.update(conversations).set({ status: 'pending' }).where(eq(conversations.id, row.id));
    const pending = await get(id);

    expect(snoozed.state).toBe('Pending');
    expect(pending.state).toBe('AwaitingPending');
    expect(snoozed.assignment).toEqual({ agentId: agent.uuid, assignedAt: expect.stringMatching(ISO) });
    const assignment = snoozed.assignment as { assignedAt: string };
    expect(Date.parse(assignment.assignedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(snoozed.stateUpdatedAt as string)).toBeGreaterThan(
      Date.parse(snoozed.createdAt as string),
    );
    // Both times come from the conversation's events, not from the row's updated_at.
    const relations = (await loadConversationRelations(db, orgA.accountId, [row])).get(row.id);
    expect(relations?.assignedAt?.toISOString()).toBe(assignment.assignedAt);
    expect(relations?.statusChangedAt).not.toBeNull();
  });

  it('refuses to add a message to a channel the seed does not support (Sms)', async () => {
    const id = await create({
      _type: 'Sms',
      requesterId: requester.uuid,
      contactEndpointId: SMS_NUMBER,
      message: { _type: 'Inbound', content: { value: 'Hello' } },
    });

    const response = await orgA.call('POST', `/v1/conversations/${id}/messages`, {
      _type: 'Inbound',
      content: { value: 'Again' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/Sms/);
  });

  it('closes a conversation (204), as the agent named, and shows it Closed', async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION));

    const closed = await orgA.call('PUT', `/v1/conversations/${id}/close`, { userId: agent.uuid });
    const again = await orgA.call('PUT', `/v1/conversations/${id}/close`);

    expect(closed.statusCode).toBe(204);
    expect(again.statusCode).toBe(204);
    const conversation = await get(id);
    expect(conversation.state).toBe('Closed');
    expect(Date.parse(conversation.stateUpdatedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(conversation.createdAt as string),
    );
  });

  it('refuses to close as someone who is not an agent of the organization', async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION));

    const response = await orgA.call('PUT', `/v1/conversations/${id}/close`, { userId: requester.uuid });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ message: expect.stringContaining('userId') });
  });

  it('lists linked children with their link to the parent', async () => {
    const parentId = await create(emailConversationBody(requester.uuid, INTEGRATION));
    const childId = await create(emailConversationBody(requester.uuid, INTEGRATION));
    const [parent] = await app.parley.ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, parentId)));
    await app.parley.ctx.db
      .update(conversations)
      .set({ parentId: parent?.id, linkType: 'side_conversation' })
      .where(and(eq(conversations.accountId, orgA.accountId), eq(conversations.displayId, childId)));

    const linked = await orgA.call('GET', `/v1/conversations/${parentId}/linked`);
    const none = await orgA.call('GET', `/v1/conversations/${childId}/linked`);

    expect(linked.statusCode).toBe(200);
    expect(linked.json().data).toEqual([
      expect.objectContaining({ id: childId, link: { _type: 'SideConversation', parentId } }),
    ]);
    expect(none.json()).toEqual({ data: [] });
  });

  it.each([
    [
      'an unknown _type',
      { ...emailConversationBody('9c2a2cce-699f-4a72-89d9-fda5bc8dec8b', INTEGRATION), _type: 'Fax' },
    ],
    ['no _type', { requesterId: '9c2a2cce-699f-4a72-89d9-fda5bc8dec8b' }],
    ['a requester that is not a UUID', emailConversationBody('not-a-uuid', INTEGRATION)],
    [
      'an email without a subject',
      { ...emailConversationBody('9c2a2cce-699f-4a72-89d9-fda5bc8dec8b', INTEGRATION), subject: undefined },
    ],
  ])('answers 400 {message} for %s', async (_case, body) => {
    const response = await orgA.call('POST', '/v1/conversations', body);

    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json())).toEqual(['message']);
  });

  it('answers 400 for an unknown requester, integration or outbound author', async () => {
    const unknownRequester = await orgA.call(
      'POST',
      '/v1/conversations',
      emailConversationBody('9c2a2cce-699f-4a72-89d9-fda5bc8dec8b', INTEGRATION),
    );
    const unknownIntegration = await orgA.call(
      'POST',
      '/v1/conversations',
      emailConversationBody(requester.uuid, 'nobody@email.dixa.test'),
    );
    const customerAsAuthor = await orgA.call('POST', '/v1/conversations', {
      ...emailConversationBody(requester.uuid, INTEGRATION),
      message: { _type: 'Outbound', agentId: requester.uuid, content: { value: 'Hello' } },
    });

    expect(unknownRequester.statusCode).toBe(400);
    expect(unknownRequester.json().message).toMatch(/requesterId/);
    expect(unknownIntegration.statusCode).toBe(400);
    expect(unknownIntegration.json().message).toMatch(/emailIntegrationId/);
    expect(customerAsAuthor.statusCode).toBe(400);
    expect(customerAsAuthor.json().message).toMatch(/agentId/);
  });

  it("keeps organizations apart: B cannot read or close A's conversation, nor open one for A's end user", async () => {
    const id = await create(emailConversationBody(requester.uuid, INTEGRATION));
    await seedChannelInbox(app, orgB.accountId, 'email', { email: 'b@email.dixa.test' });

    const read = await orgB.call('GET', `/v1/conversations/${id}`);
    const close = await orgB.call('PUT', `/v1/conversations/${id}/close`);
    const linked = await orgB.call('GET', `/v1/conversations/${id}/linked`);
    const borrowed = await orgB.call(
      'POST',
      '/v1/conversations',
      emailConversationBody(requester.uuid, 'b@email.dixa.test'),
    );

    expect(read.statusCode).toBe(404);
    expect(read.json()).toEqual({ message: expect.any(String) });
    expect(close.statusCode).toBe(404);
    expect(linked.statusCode).toBe(404);
    expect(borrowed.statusCode).toBe(400);
    expect((await get(id)).state).toBe('Open');
  });

  it('answers 400 for a conversation id that is not a number', async () => {
    const response = await orgA.call('GET', '/v1/conversations/abc');

    expect(response.statusCode).toBe(400);
  });
});
