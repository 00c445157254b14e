import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';
import { bearer, type TestApp } from '../../testing/app.js';
import { startWebhookReceiver, type ReceivedRequest } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { users } from '../../core/identity/identity.tables.js';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { verifyDixaSignature } from './webhook-signing.js';

interface DixaWebhook {
  event_id: string;
  event_fqn: string;
  event_version: string;
  event_timestamp: string;
  organization: { id: string; name: string };
  data: Record<string, unknown> & { conversation?: { csid: number; status: string } };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Dixa webhook deliveries from real state changes', () => {
  let app: TestApp;
  let inject: Inject;
  let org: DixaTestOrg;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let chatwoot: ChatwootClient;
  let subscription: { id: string; secretKey: string };
  let agent: { userId: number; uuid: string };
  let contact: { id: number; uuid: string };
  let inbox: { id: number; identifier: string };

  const A = () => `/api/v1/accounts/${org.accountId}`;
  const received = (path: string) =>
    receiver.received
      .filter((request) => request.path === path)
      .map((request) => ({ request, body: JSON.parse(request.body) as DixaWebhook }));
  const waitForWebhook = (fqn: string, match: (body: DixaWebhook) => boolean = () => true, path = '/dixa') =>
    waitFor(() => received(path).find(({ body }) => body.event_fqn === fqn && match(body)), {
      what: `${fqn} at ${path}`,
      timeoutMs: 15_000,
    });
  const ofConversation = (csid: number) => (body: DixaWebhook) => body.data.conversation?.csid === csid;

  beforeAll(async () => {
    receiver = await startWebhookReceiver((request) =>
      request.path === '/failing' ? { status: 500, body: 'receiver exploded' } : { status: 200, body: 'ok' },
    );
    const created = await createDixaTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1/32'] });
    app = created.app;
    inject = created.inject;
    org = await created.organization('Acme Support');
    await app.parley.startBackground();
    chatwoot = chatwootClient(app, org.apiKey);
    const db = app.parley.ctx.db;
    const seeded = await seedAgent(app, org.accountId, { name: 'Alice Agent' });
    const [agentRow] = await db.select({ uuid: users.uuid }).from(users).where(eq(users.id, seeded.userId));
    agent = { userId: seeded.userId, uuid: agentRow!.uuid };
    const contactId = await seedContact(app, org.accountId, { name: 'Jane Doe', email: 'jane@example.com' });
    const [contactRow] = await db
      .select({ uuid: contacts.uuid })
      .from(contacts)
      .where(and(eq(contacts.accountId, org.accountId), eq(contacts.id, contactId)));
    contact = { id: contactId, uuid: contactRow!.uuid };
    const inboxId = await seedInbox(app, org.accountId, { memberIds: [seeded.userId] });
    const [inboxRow] = await db
      .select({ identifier: inboxes.identifier })
      .from(inboxes)
      .where(eq(inboxes.id, inboxId));
    inbox = { id: inboxId, identifier: inboxRow!.identifier };

    const response = await org.call('POST', '/v1/webhooks', {
      url: receiver.url('/dixa'),
      name: 'Everything',
      authorization: { _type: 'TokenAuth', value: 'receiver-token' },
    });
    expect(response.statusCode, response.body).toBe(201);
    subscription = response.json<{ data: { id: string; secretKey: string } }>().data;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  function expectSignedAndAuthorized(request: ReceivedRequest): void {
    expect(request.headers.authorization).toBe('Bearer receiver-token');
    expect(request.headers['x-dixa-subscription-id']).toBe(subscription.id);
    const signature = String(request.headers['x-dixa-signature']);
    expect(signature).toMatch(/^t=\d{13},v1=[0-9a-f]{64}$/);
    expect(verifyDixaSignature(subscription.secretKey, { signature, body: request.body })).toBe(true);
    expect(verifyDixaSignature(subscription.secretKey, { signature, body: `${request.body} ` })).toBe(false);
  }

  it('sends ConversationCreated, signed, with the Authorization chosen and Dixa envelope', async () => {
    const csid = await openConversation(chatwoot, org.accountId, {
      inbox_id: inbox.id,
      contact_id: contact.id,
    });

    const { request, body } = await waitForWebhook('CONVERSATION_CREATED', ofConversation(csid));

    expectSignedAndAuthorized(request);
    expect(request.headers['x-dixa-event']).toBe('ConversationCreated');
    expect(body.event_id).toMatch(UUID);
    expect(body).toMatchObject({
      event_version: '1',
      organization: { id: expect.stringMatching(UUID), name: 'Acme Support' },
      data: {
        conversation: {
          csid,
          channel: 'WIDGET_CHAT',
          status: 'OPEN',
          direction: 'INBOUND',
          requester: { id: contact.uuid, name: 'Jane Doe', email: 'jane@example.com', user_type: 'Contact' },
          assignee: null,
          tags: [],
        },
      },
    });
    expect(Number.isNaN(Date.parse(body.event_timestamp))).toBe(false);
  });

  it('sends a message, a note, tags added and removed, and the assignment', async () => {
    const csid = await openConversation(chatwoot, org.accountId, {
      inbox_id: inbox.id,
      contact_id: contact.id,
    });
    const path = `${A()}/conversations/${csid}`;

    await chatwoot.post(`${path}/messages`, { content: 'Hello there', message_type: 'incoming' });
    await chatwoot.post(`${path}/messages`, {
      content: 'Internal only',
      message_type: 'outgoing',
      private: true,
    });
    await chatwoot.post(`${path}/labels`, { labels: ['billing', 'vip'] });
    await chatwoot.post(`${path}/labels`, { labels: ['vip'] });
    const assigned = await chatwoot.post(`${path}/assignments`, { assignee_id: agent.userId });
    expect(assigned.statusCode, assigned.body).toBe(200);

    const message = await waitForWebhook('CONVERSATION_MESSAGE_ADDED', ofConversation(csid));
    const note = await waitForWebhook('CONVERSATION_NOTE_ADDED', ofConversation(csid));
    const billingAdded = await waitForWebhook(
      'CONVERSATION_TAG_ADDED',
      (body) => ofConversation(csid)(body) && body.data.tag === 'billing',
    );
    await waitForWebhook(
      'CONVERSATION_TAG_ADDED',
      (body) => ofConversation(csid)(body) && body.data.tag === 'vip',
    );
    const removed = await waitForWebhook('CONVERSATION_TAG_REMOVED', ofConversation(csid));
    const assignment = await waitForWebhook('CONVERSATION_ASSIGNED', ofConversation(csid));

    expect(message.body.data).toMatchObject({
      message_id: expect.stringMatching(UUID),
      text: 'Hello there',
      direction: 'inbound',
      author: { id: contact.uuid, user_type: 'Contact' },
      content: { text: 'Hello there', content_type: 'Text' },
    });
    expect(note.body.data).toMatchObject({ text: 'Internal only' });
    expect(
      received('/dixa').some(
        ({ body }) => body.event_fqn === 'CONVERSATION_MESSAGE_ADDED' && body.data.text === 'Internal only',
      ),
    ).toBe(false);
    expect(billingAdded.body.data.conversation).toMatchObject({
      tags: [{ name: 'billing' }, { name: 'vip' }],
    });
    expect(removed.body.data).toMatchObject({ tag: 'billing' });
    expect(assignment.body.data).toMatchObject({
      agent: { id: agent.uuid, name: 'Alice Agent', user_type: 'Member' },
      conversation: { assignee: { id: agent.uuid } },
    });
    expectSignedAndAuthorized(assignment.request);
  });

  it('sends Closed, Open, Pending and PendingExpired as the status moves', async () => {
    const csid = await openConversation(chatwoot, org.accountId, {
      inbox_id: inbox.id,
      contact_id: contact.id,
    });
    const toggle = (body: Record<string, unknown>) =>
      chatwoot.post(`${A()}/conversations/${csid}/toggle_status`, body);

    await toggle({ status: 'resolved' });
    const closed = await waitForWebhook('CONVERSATION_CLOSED', ofConversation(csid));
    await toggle({ status: 'open' });
    const reopened = await waitForWebhook('CONVERSATION_OPEN', ofConversation(csid));
    await toggle({ status: 'snoozed', snoozed_until: Math.floor(Date.now() / 1000) + 2 });
    const pending = await waitForWebhook('CONVERSATION_PENDING', ofConversation(csid));
    const expired = await waitForWebhook('CONVERSATION_PENDING_EXPIRED', ofConversation(csid));

    expect(closed.body.data.conversation?.status).toBe('CLOSED');
    expect(reopened.body.data.conversation?.status).toBe('OPEN');
    expect(pending.body.data.conversation?.status).toBe('PENDING');
    expect(expired.body.data.conversation?.status).toBe('OPEN');
    // The snooze job's reopening is "pending expired", not a second "open".
    const opens = received('/dixa').filter(
      ({ body }) => body.event_fqn === 'CONVERSATION_OPEN' && ofConversation(csid)(body),
    );
    expect(opens).toHaveLength(1);
  });

  it('sends ConversationEndUserReplaced for each conversation a contact merge moves', async () => {
    const db = app.parley.ctx.db;
    const mergeeId = await seedContact(app, org.accountId, { name: 'Duplicate Jane' });
    const [mergeeRow] = await db
      .select({ uuid: contacts.uuid })
      .from(contacts)
      .where(and(eq(contacts.accountId, org.accountId), eq(contacts.id, mergeeId)));
    const csid = await openConversation(chatwoot, org.accountId, {
      inbox_id: inbox.id,
      contact_id: mergeeId,
    });

    const merged = await chatwoot.post(`${A()}/actions/contact_merge`, {
      base_contact_id: contact.id,
      mergee_contact_id: mergeeId,
    });

    expect(merged.statusCode, merged.body).toBe(200);
    const replaced = await waitForWebhook('CONVERSATION_END_USER_REPLACED', ofConversation(csid));
    expect(replaced.body.data).toMatchObject({
      old_requester: { id: mergeeRow!.uuid, name: 'Duplicate Jane', user_type: 'Contact' },
      new_requester: { id: contact.uuid, user_type: 'Contact' },
      conversation: { csid, requester: { id: contact.uuid } },
    });
  });

  it('sends AgentBannedEnduser / AgentUnbannedEnduser when a contact is banned through the native API', async () => {
    const ban = await inject({
      method: 'PUT',
      url: `${A()}/contacts/${contact.id}/ban`,
      headers: bearer(org.apiKey),
    });
    const again = await inject({
      method: 'PUT',
      url: `${A()}/contacts/${contact.id}/ban`,
      headers: bearer(org.apiKey),
    });
    const unban = await inject({
      method: 'DELETE',
      url: `${A()}/contacts/${contact.id}/ban`,
      headers: bearer(org.apiKey),
    });

    expect(ban.json()).toEqual({ contactId: contact.id, banned: true });
    expect(again.statusCode).toBe(200);
    expect(unban.json()).toEqual({ contactId: contact.id, banned: false });
    const banned = await waitForWebhook('AGENT_BANNED_ENDUSER');
    await waitForWebhook('AGENT_UNBANNED_ENDUSER');
    expect(banned.body.data).toMatchObject({ user: { id: contact.uuid, user_type: 'Contact' }, agent: null });
    expectSignedAndAuthorized(banned.request);
    expect(received('/dixa').filter(({ body }) => body.event_fqn === 'AGENT_BANNED_ENDUSER')).toHaveLength(1);
  });

  it('bans an IP: end-user writes from it are refused with 403, others pass, and AgentBannedIp is sent', async () => {
    const ip = '203.0.113.7';
    const publicContacts = `/chatwoot/public/api/v1/inboxes/${inbox.identifier}/contacts`;
    const agentClient = await seedAgent(app, org.accountId, { name: 'Bob Banner' });

    const ban = await inject({
      method: 'POST',
      url: `${A()}/banned-ips`,
      headers: bearer(agentClient.token),
      payload: { ip },
    });
    const fromBanned = await inject({
      method: 'POST',
      url: publicContacts,
      remoteAddress: ip,
      payload: { name: 'Spam' },
    });
    const fromOther = await inject({
      method: 'POST',
      url: publicContacts,
      remoteAddress: '198.51.100.4',
      payload: {},
    });
    const listed = await inject({ method: 'GET', url: `${A()}/banned-ips`, headers: bearer(org.apiKey) });

    expect(ban.statusCode, ban.body).toBe(201);
    expect(fromBanned.statusCode).toBe(403);
    expect(fromOther.statusCode).toBe(200);
    expect(listed.json<{ data: { ip: string }[] }>().data.map((row) => row.ip)).toEqual([ip]);
    const banned = await waitForWebhook('AGENT_BANNED_IP');
    expect(banned.body.data).toMatchObject({
      ip_address: ip,
      agent: { name: 'Bob Banner', user_type: 'Member' },
    });

    const unban = await inject({
      method: 'DELETE',
      url: `${A()}/banned-ips/${ip}`,
      headers: bearer(org.apiKey),
    });
    expect(unban.statusCode).toBe(204);
    await waitForWebhook('AGENT_UNBANNED_IP');
    const afterUnban = await inject({ method: 'POST', url: publicContacts, remoteAddress: ip, payload: {} });
    expect(afterUnban.statusCode).toBe(200);
    const badIp = await inject({
      method: 'POST',
      url: `${A()}/banned-ips`,
      headers: bearer(org.apiKey),
      payload: { ip: 'nope' },
    });
    expect(badIp.statusCode).toBe(422);
  });

  it("shows each event's latest delivery (code, text, time) and the logged payloads", async () => {
    const created = await waitForWebhook('CONVERSATION_CREATED');

    const status = await org.call('GET', `/v1/webhooks/${subscription.id}/delivery-status`);
    const logs = await org.call(
      'GET',
      `/v1/webhooks/${subscription.id}/delivery-status/logs/ConversationCreated`,
    );

    expect(status.statusCode).toBe(200);
    const byEvent = new Map(
      status
        .json<{ data: { event: string; deliveryStatus: Record<string, unknown> }[] }>()
        .data.map((row) => [row.event, row.deliveryStatus]),
    );
    expect(byEvent.size).toBe(20);
    expect(byEvent.get('ConversationCreated')).toEqual({
      _type: 'DeliveryDetail',
      success: true,
      responseCode: 200,
      responseText: 'ok',
      deliveryTimestamp: expect.any(String),
    });
    expect(byEvent.get('ConversationRated')).toEqual({ _type: 'NoRecentDelivery' });
    const entries = logs.json<{ data: { payload: string; deliveryDetail: Record<string, unknown> }[] }>()
      .data;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries.map((entry) => entry.payload)).toContain(created.request.body);
    expect(entries[0]?.deliveryDetail).toMatchObject({
      success: true,
      responseCode: 200,
      responseText: 'ok',
    });
  });

  it('shows a failing receiver as success false with its code and answer', async () => {
    const failing = await org.call('POST', '/v1/webhooks', {
      url: receiver.url('/failing'),
      name: 'Failing',
      events: ['ConversationCreated'],
      authorization: { _type: 'NoAuth' },
    });
    const failingId = failing.json<{ data: { id: string } }>().data.id;

    await openConversation(chatwoot, org.accountId, { inbox_id: inbox.id, contact_id: contact.id });
    const request = await waitFor(() => receiver.received.find((entry) => entry.path === '/failing'));
    const status = await waitFor(async () => {
      const response = await org.call('GET', `/v1/webhooks/${failingId}/delivery-status`);
      const [row] = response.json<{ data: { deliveryStatus: Record<string, unknown> }[] }>().data;
      return row?.deliveryStatus._type === 'DeliveryDetail' && row.deliveryStatus;
    });

    expect(request.headers.authorization).toBeUndefined();
    expect(status).toMatchObject({ success: false, responseCode: 500, responseText: 'receiver exploded' });
    const logs = await org.call('GET', `/v1/webhooks/${failingId}/delivery-status/logs/ConversationCreated`);
    expect(
      logs.json<{ data: { deliveryDetail: { success: boolean } }[] }>().data[0]?.deliveryDetail.success,
    ).toBe(false);
  });

  it('lists the Dixa subscription and its deliveries on the native API, read-only there', async () => {
    const listed = await inject({
      method: 'GET',
      url: `${A()}/webhooks?format=dixa`,
      headers: bearer(org.apiKey),
    });
    const native = listed
      .json<{ data: { id: number; source: unknown; readOnly: boolean }[] }>()
      .data.find((row) => (row.source as { id?: string } | null)?.id === subscription.id);

    expect(native).toMatchObject({
      source: { kind: 'dixa_webhook', id: subscription.id, face: 'dixa' },
      readOnly: true,
    });
    const deliveries = await inject({
      method: 'GET',
      url: `${A()}/webhooks/${native!.id}/deliveries`,
      headers: bearer(org.apiKey),
    });
    expect(deliveries.statusCode).toBe(200);
    expect(deliveries.json<{ data: unknown[] }>().data.length).toBeGreaterThan(0);
    const patch = await inject({
      method: 'PATCH',
      url: `${A()}/webhooks/${native!.id}`,
      headers: bearer(org.apiKey),
      payload: { url: 'http://127.0.0.1:1/elsewhere' },
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.json<{ message?: string; detail?: string }>()).toBeDefined();
    expect(patch.body).toContain(`/dixa/v1/webhooks/${subscription.id}`);
  });
});
