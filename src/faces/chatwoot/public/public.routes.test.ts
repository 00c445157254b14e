import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, injector, seedAccount, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import {
  publicContactSchema,
  publicConversationSchema,
  publicInboxSchema,
  publicMessageSchema,
} from './public-serializers.js';

describe(`Chatwoot client API (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let inboxIdentifier: string;
  let hmacToken: string;
  let strictIdentifier: string;

  async function createInbox(accountId: number, apiKey: string, channel: Record<string, unknown>) {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${accountId}/inboxes`,
      headers: { api_access_token: apiKey },
      payload: { name: 'Support API', channel: { type: 'api', ...channel } },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number; inbox_identifier: string; hmac_token: string }>();
  }

  const base = (identifier = inboxIdentifier) => `/chatwoot/public/api/v1/inboxes/${identifier}`;

  async function createContact(payload: Record<string, unknown> = { name: 'Visitor' }) {
    const response = await request({ method: 'POST', url: `${base()}/contacts`, payload });
    expect(response.statusCode).toBe(200);
    return publicContactSchema.parse(response.json());
  }

  async function createConversation(sourceId: string) {
    const response = await request({
      method: 'POST',
      url: `${base()}/contacts/${sourceId}/conversations`,
      payload: {},
    });
    expect(response.statusCode).toBe(200);
    return publicConversationSchema.parse(response.json());
  }

  beforeAll(async () => {
    app = await createTestApp();
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
    const inbox = await createInbox(acme.accountId, acme.apiKey, {});
    inboxIdentifier = inbox.inbox_identifier;
    const strict = await createInbox(acme.accountId, acme.apiKey, { hmac_mandatory: true });
    strictIdentifier = strict.inbox_identifier;
    hmacToken = strict.hmac_token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the inbox, and answers 404 in Chatwoot’s body for an unknown identifier', async () => {
    const found = await request({ method: 'GET', url: base() });
    const missing = await request({ method: 'GET', url: base('no-such-inbox') });

    expect(found.statusCode).toBe(200);
    expect(publicInboxSchema.parse(found.json())).toMatchObject({
      identifier: inboxIdentifier,
      name: 'Support API',
      working_hours_enabled: false,
      identity_validation_enabled: false,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ description: expect.any(String), errors: expect.any(Array) });
  });

  it('creates, reads and updates a contact by its source id', async () => {
    const contact = await createContact({ name: 'Ada', email: 'ada@example.com' });

    const read = await request({ method: 'GET', url: `${base()}/contacts/${contact.source_id}` });
    const updated = await request({
      method: 'PATCH',
      url: `${base()}/contacts/${contact.source_id}`,
      payload: { name: 'Ada L.', phone_number: '+14155550100' },
    });
    const unknown = await request({ method: 'GET', url: `${base()}/contacts/not-a-source-id` });

    expect(contact).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    expect(contact.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(contact.pubsub_token.length).toBeGreaterThan(10);
    expect(read.json()).toEqual(contact);
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ id: contact.id, name: 'Ada L.', source_id: contact.source_id });
    expect(unknown.statusCode).toBe(404);
  });

  it('enforces identity validation when the inbox makes it mandatory', async () => {
    const url = `${base(strictIdentifier)}/contacts`;
    const hash = createHmac('sha256', hmacToken).update('user-42').digest('hex');

    const missing = await request({ method: 'POST', url, payload: { identifier: 'user-42' } });
    const wrong = await request({
      method: 'POST',
      url,
      payload: { identifier: 'user-42', identifier_hash: 'f'.repeat(64) },
    });
    const valid = await request({
      method: 'POST',
      url,
      payload: { identifier: 'user-42', identifier_hash: hash, name: 'Known' },
    });

    expect(missing.statusCode).toBe(401);
    expect(missing.json<{ description: string }>().description).toMatch(/HMAC/);
    expect(wrong.statusCode).toBe(401);
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toMatchObject({ name: 'Known' });
  });

  it('opens conversations, takes messages idempotently on echo_id and resolves', async () => {
    const contact = await createContact();
    const conversation = await createConversation(contact.source_id);
    const messagesUrl = `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;

    const first = await request({
      method: 'POST',
      url: messagesUrl,
      payload: { content: 'Hi there', echo_id: 'e-1' },
    });
    const retry = await request({
      method: 'POST',
      url: messagesUrl,
      payload: { content: 'Hi there', echo_id: 'e-1' },
    });
    const list = await request({ method: 'GET', url: messagesUrl });
    const conversations = await request({
      method: 'GET',
      url: `${base()}/contacts/${contact.source_id}/conversations`,
    });
    const seen = await request({
      method: 'POST',
      url: `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}/update_last_seen`,
    });
    const resolved = await request({
      method: 'POST',
      url: `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}/toggle_status`,
    });

    expect(conversation).toMatchObject({ status: 'open', messages: [], contact: { id: contact.id } });
    expect(first.statusCode).toBe(200);
    const message = publicMessageSchema.parse(first.json());
    expect(message).toMatchObject({ content: 'Hi there', message_type: 0, conversation_id: conversation.id });
    expect(message.sender).toMatchObject({ id: contact.id, type: 'contact' });
    expect(retry.json<{ id: number }>().id).toBe(message.id);
    expect(list.json<{ id: number }[]>().map((item) => item.id)).toEqual([message.id]);
    expect(conversations.json<{ id: number; messages: { id: number }[] }[]>()).toEqual([
      expect.objectContaining({
        id: conversation.id,
        messages: [expect.objectContaining({ id: message.id })],
      }),
    ]);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).toBe('');
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ id: conversation.id, status: 'resolved' });
    expect(resolved.json<{ contact_last_seen_at: number }>().contact_last_seen_at).toBeGreaterThan(0);
  });

  it("answers 404 for another contact's conversation and writes nothing there", async () => {
    const owner = await createContact({ name: 'Owner' });
    const intruder = await createContact({ name: 'Intruder' });
    const conversation = await createConversation(owner.source_id);
    const intruderUrl = `${base()}/contacts/${intruder.source_id}/conversations/${conversation.id}`;

    const read = await request({ method: 'GET', url: intruderUrl });
    const write = await request({
      method: 'POST',
      url: `${intruderUrl}/messages`,
      payload: { content: 'sneaky' },
    });
    const resolve = await request({ method: 'POST', url: `${intruderUrl}/toggle_status` });
    const ownerView = await request({
      method: 'GET',
      url: `${base()}/contacts/${owner.source_id}/conversations/${conversation.id}`,
    });

    expect(read.statusCode).toBe(404);
    expect(write.statusCode).toBe(404);
    expect(resolve.statusCode).toBe(404);
    expect(ownerView.json()).toMatchObject({ status: 'open', messages: [] });
  });

  it('refuses a malformed message and stores nothing', async () => {
    const contact = await createContact();
    const conversation = await createConversation(contact.source_id);
    const url = `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;

    const wrongType = await request({ method: 'POST', url, payload: { content: 42 } });
    const empty = await request({ method: 'POST', url, payload: {} });
    const list = await request({ method: 'GET', url });

    expect([400, 422]).toContain(wrongType.statusCode);
    expect(wrongType.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('content');
    expect([400, 422]).toContain(empty.statusCode);
    expect(list.json()).toEqual([]);
  });

  it('stores submitted_values on a message', async () => {
    const contact = await createContact();
    const conversation = await createConversation(contact.source_id);
    const url = `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;
    const created = await request({ method: 'POST', url, payload: { content: 'Pick one' } });
    const messageId = created.json<{ id: number }>().id;

    const updated = await request({
      method: 'PATCH',
      url: `${url}/${messageId}`,
      payload: { submitted_values: { name: 'plan', title: 'Pro', value: 'pro' } },
    });

    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      id: messageId,
      content_attributes: { submitted_values: { name: 'plan', title: 'Pro', value: 'pro' } },
    });
  });
});
