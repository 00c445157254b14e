import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, injector, seedAccount, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import { chatwootClient, seedAgent } from '../conversations.test-kit.js';
import { publicContactSchema, publicConversationSchema, publicInboxSchema } from './public-serializers.js';
import { publicMessageSchema } from './public-messages.js';

describe(`Chatwoot client API (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let acme: { accountId: number; apiKey: string };
  let inboxIdentifier: string;
  let agent: { userId: number; token: string };

  async function createInbox(accountId: number, apiKey: string, channel: Record<string, unknown>) {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${accountId}/inboxes`,
      headers: { api_access_token: apiKey },
      payload: { name: 'Support API', channel: { type: 'api', ...channel } },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number; inbox_identifier: string }>();
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
    agent = await seedAgent(app, acme.accountId, { role: 'administrator' });
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
    // The seed types the conversation's inbox_id, and a public message's ids and times, as strings.
    expect(conversation.inbox_id).toMatch(/^\d+$/);
    expect(first.statusCode).toBe(200);
    const message = publicMessageSchema.parse(first.json());
    expect(message).toMatchObject({
      content: 'Hi there',
      message_type: '0',
      conversation_id: String(conversation.id),
      content_attributes: '{}',
    });
    expect(message.id).toMatch(/^\d+$/);
    expect(Number(message.created_at)).toBeGreaterThan(1_600_000_000);
    expect(message.sender).toMatchObject({ id: contact.id, type: 'contact' });
    expect(retry.json<{ id: string }>().id).toBe(message.id);
    expect(list.json<{ id: string }[]>().map((item) => item.id)).toEqual([message.id]);
    // A conversation's messages are the seed's `message`: numbers there.
    const listed = z.array(publicConversationSchema).parse(conversations.json());
    expect(listed).toEqual([
      expect.objectContaining({
        id: conversation.id,
        messages: [
          expect.objectContaining({
            id: Number(message.id),
            message_type: 0,
            created_at: Number(message.created_at),
          }),
        ],
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
    const messageId = created.json<{ id: string }>().id;

    const updated = await request({
      method: 'PATCH',
      url: `${url}/${messageId}`,
      payload: { submitted_values: { name: 'plan', title: 'Pro', value: 'pro' } },
    });

    expect(updated.statusCode).toBe(200);
    const answered = publicMessageSchema.parse(updated.json());
    expect(answered.id).toBe(messageId);
    expect(JSON.parse(answered.content_attributes)).toEqual({
      submitted_values: { name: 'plan', title: 'Pro', value: 'pro' },
    });
  });

  it("shows an agent's reply with the agent's name but not their email, and never a private note", async () => {
    const contact = await createContact();
    const conversation = await createConversation(contact.source_id);
    const team = chatwootClient(app, agent.token);
    const agentUrl = `/api/v1/accounts/${acme.accountId}/conversations/${conversation.id}/messages`;
    const reply = await team.post(agentUrl, { content: 'How can I help?', message_type: 'outgoing' });
    const note = await team.post(agentUrl, { content: 'VIP customer', private: true });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(note.statusCode, note.body).toBe(200);

    const url = `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}`;
    const messages = await request({ method: 'GET', url: `${url}/messages` });
    const thread = await request({ method: 'GET', url });

    const [shown, ...rest] = z.array(publicMessageSchema).parse(messages.json());
    expect(rest).toEqual([]);
    expect(shown).toMatchObject({ content: 'How can I help?', message_type: '1' });
    expect(shown?.sender).toMatchObject({ id: agent.userId, type: 'user' });
    expect(shown?.sender).not.toHaveProperty('email');
    expect(messages.body).not.toContain('VIP customer');
    expect(thread.body).not.toContain('VIP customer');
    expect(publicConversationSchema.parse(thread.json()).messages).toHaveLength(1);
  });

  it('takes form-encoded and empty bodies as real Chatwoot does', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const created = await request({
      method: 'POST',
      url: `${base()}/contacts`,
      headers: form,
      payload: 'name=Form+Visitor&email=form%40example.com&custom_attributes%5Bplan%5D=pro',
    });
    const contact = publicContactSchema.parse(created.json());
    const untouched = await request({ method: 'PATCH', url: `${base()}/contacts/${contact.source_id}` });
    const opened = await request({
      method: 'POST',
      url: `${base()}/contacts/${contact.source_id}/conversations`,
    });
    const conversation = publicConversationSchema.parse(opened.json());
    const url = `${base()}/contacts/${contact.source_id}/conversations/${conversation.id}`;
    const sent = await request({
      method: 'POST',
      url: `${url}/messages`,
      headers: form,
      payload: 'content=from+a+form',
    });
    const typing = await request({ method: 'POST', url: `${url}/toggle_typing?typing_status=on` });
    const emptyContact = await request({ method: 'POST', url: `${base()}/contacts` });

    expect(created.statusCode).toBe(200);
    expect(contact).toMatchObject({ name: 'Form Visitor', email: 'form@example.com' });
    expect(untouched.statusCode).toBe(200);
    expect(untouched.json()).toEqual(contact);
    expect(opened.statusCode).toBe(200);
    expect(sent.statusCode).toBe(200);
    expect(publicMessageSchema.parse(sent.json()).content).toBe('from a form');
    expect(typing.statusCode).toBe(200);
    expect(emptyContact.statusCode).toBe(200);
    // A visitor without an email has none in the body, rather than null.
    expect(emptyContact.json()).not.toHaveProperty('email');
  });
});
