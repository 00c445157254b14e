import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bearer,
  createTestApp,
  injector,
  seedAccount,
  TEST_PLATFORM_TOKEN,
  type TestApp,
} from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startWebhookReceiver, type ReceivedRequest } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { verifyChatwootSignature } from './webhook-formats/signature.js';
import { getSubscription } from '../../core/webhooks/subscriptions.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
type Json = Record<string, unknown> & { event?: string };

interface RealtimeClient {
  socket: WebSocket;
  messages: { type: string; payload?: Record<string, unknown> }[];
}

function bodies(receiver: Receiver, path: string): { request: ReceivedRequest; body: Json }[] {
  return receiver.received
    .filter((request) => request.path === path)
    .map((request) => ({ request, body: JSON.parse(request.body) as Json }));
}

/**
 * One whole support conversation across the faces, as a team runs it: an administrator sets up an
 * API inbox (with a callback URL) and an account webhook, an agent joins the inbox; a visitor
 * writes through the client API; the agent answers through the application API and resolves.
 * Webhooks go to a real local HTTP server and agents watch the real-time WebSocket.
 */
describe(`a support conversation end to end (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let receiver: Receiver;
  let wsBase: string;
  let acme: { accountId: number; apiKey: string };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
    await app.parley.startBackground();
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    wsBase = `ws://127.0.0.1:${(app.parley.server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  const admin = () => ({ api_access_token: acme.apiKey });
  const account = (path: string) => `/chatwoot/api/v1/accounts/${acme.accountId}${path}`;

  async function post<T>(
    url: string,
    payload: unknown,
    headers: Record<string, string> = admin(),
  ): Promise<T> {
    const response = await request({
      method: 'POST',
      url,
      headers,
      payload: payload as Record<string, unknown>,
    });
    expect(response.statusCode, `POST ${url}: ${response.body}`).toBeLessThan(300);
    return (response.body ? response.json<T>() : undefined) as T;
  }

  async function createAgent(email: string): Promise<{ userId: number; token: string }> {
    const member = await post<{ userId: number }>(
      `/api/v1/accounts/${acme.accountId}/members`,
      { email, name: 'Alice Agent', password: 'correct horse battery', role: 'agent' },
      // Only the platform operator creates users directly; account administrators invite.
      bearer(TEST_PLATFORM_TOKEN),
    );
    const login = await post<{ token: string }>(
      '/api/v1/auth/login',
      { email, password: 'correct horse battery' },
      {},
    );
    return { userId: member.userId, token: login.token };
  }

  async function connect(token: string): Promise<RealtimeClient> {
    const socket = new WebSocket(
      `${wsBase}/api/v1/accounts/${acme.accountId}/realtime?access_token=${token}`,
    );
    const messages: RealtimeClient['messages'] = [];
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
    await new Promise<void>((resolve, reject) => {
      socket.on('open', () => resolve());
      socket.on('error', reject);
    });
    await waitFor(() => messages.some((message) => message.type === 'connection.ready'));
    return { socket, messages };
  }

  /** Chatwoot shows the secret in the webhook body; read the stored one if this build does not. */
  async function storedSecret(subscriptionId: number): Promise<string> {
    const row = await getSubscription(app.parley.ctx.db, acme.accountId, subscriptionId);
    return row.secret;
  }

  async function availabilityOf(userId: number): Promise<string> {
    const response = await request({
      method: 'GET',
      url: `/api/v1/accounts/${acme.accountId}/members/${userId}`,
      headers: bearer(acme.apiKey),
    });
    return response.json<{ availability: string }>().availability;
  }

  it('walks a conversation from the visitor to the agent and back, with signed webhooks and live events', async () => {
    // The administrator sets up the inbox, its callback and an account webhook; the agent joins.
    const inbox = await post<{ id: number; inbox_identifier: string }>(account('/inboxes'), {
      name: 'Website API',
      channel: { type: 'api', webhook_url: receiver.url('/inbox-callback') },
    });
    type Webhook = { id: number; secret?: string };
    const webhookAnswer = await post<Webhook & { payload?: { webhook: Webhook } }>(account('/webhooks'), {
      url: receiver.url('/account-webhook'),
      subscriptions: ['conversation_created', 'message_created', 'conversation_status_changed'],
    });
    // The seed's `webhook` object; some Chatwoot versions wrap it in payload.webhook.
    const webhook = webhookAnswer.payload?.webhook ?? webhookAnswer;
    const agent = await createAgent('alice@acme.example');
    await post(account('/inbox_members'), { inbox_id: inbox.id, user_ids: [agent.userId] });

    // The agent comes online by connecting.
    const live = await connect(agent.token);
    await waitFor(async () => (await availabilityOf(agent.userId)) === 'online', { what: 'agent online' });

    // A visitor writes through the client API.
    const client = `/chatwoot/public/api/v1/inboxes/${inbox.inbox_identifier}`;
    const contact = await post<{ source_id: string }>(`${client}/contacts`, { name: 'Vera Visitor' }, {});
    const visitor = `${client}/contacts/${contact.source_id}`;
    const conversation = await post<{ id: number }>(`${visitor}/conversations`, {}, {});
    await post(`${visitor}/conversations/${conversation.id}/toggle_typing`, { typing_status: 'on' }, {});
    const question = await post<{ id: string }>(
      `${visitor}/conversations/${conversation.id}/messages`,
      { content: 'My parcel never arrived', echo_id: 'visitor-1' },
      {},
    );

    // The account webhook receives message_created, signed with the webhook's secret.
    const created = await waitFor(
      () => bodies(receiver, '/account-webhook').find(({ body }) => body.event === 'message_created'),
      { what: 'message_created at the account webhook' },
    );
    const secret = webhook.secret ?? (await storedSecret(webhook.id));
    expect(
      verifyChatwootSignature(secret, {
        signature: String(created.request.headers['x-chatwoot-signature']),
        timestamp: String(created.request.headers['x-chatwoot-timestamp']),
        body: created.request.body,
      }),
    ).toBe(true);
    expect(created.body).toMatchObject({
      // The client API types message ids as strings (the seed's public_message); webhooks as numbers.
      id: Number(question.id),
      content: 'My parcel never arrived',
      message_type: 'incoming',
      private: false,
      inbox: { id: inbox.id, name: 'Website API' },
      account: { id: acme.accountId, name: 'Acme' },
      conversation: { id: conversation.id, inbox_id: inbox.id, status: 'open' },
      sender: { name: 'Vera Visitor' },
    });

    // The agent reads the conversation and replies.
    const agentHeaders = { api_access_token: agent.token };
    const read = await request({
      method: 'GET',
      url: account(`/conversations/${conversation.id}`),
      headers: agentHeaders,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: conversation.id, inbox_id: inbox.id });
    await post(
      account(`/conversations/${conversation.id}/toggle_typing_status`),
      { typing_status: 'on' },
      agentHeaders,
    );
    const reply = await post<{ id: number }>(
      account(`/conversations/${conversation.id}/messages`),
      { content: 'Sorry about that, a new one ships today.', message_type: 'outgoing' },
      agentHeaders,
    );

    // The API inbox callback receives the outgoing message, signed too.
    const outgoing = await waitFor(
      () =>
        bodies(receiver, '/inbox-callback').find(
          ({ body }) => body.event === 'message_created' && body.id === reply.id,
        ),
      { what: 'the reply at the inbox callback' },
    );
    expect(outgoing.body).toMatchObject({
      message_type: 'outgoing',
      private: false,
      sender: { id: agent.userId },
    });
    expect(outgoing.request.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    // The visitor reads the reply through the client API.
    const thread = await request({
      method: 'GET',
      url: `${visitor}/conversations/${conversation.id}/messages`,
    });
    expect(thread.json<{ id: string; message_type: string }[]>()).toEqual([
      expect.objectContaining({ id: question.id, message_type: '0' }),
      expect.objectContaining({ id: String(reply.id), message_type: '1' }),
    ]);

    // The agent resolves; the webhook hears conversation_status_changed.
    await post(
      account(`/conversations/${conversation.id}/toggle_status`),
      { status: 'resolved' },
      agentHeaders,
    );
    const resolved = await waitFor(
      () =>
        bodies(receiver, '/account-webhook').find(({ body }) => body.event === 'conversation_status_changed'),
      { what: 'conversation_status_changed' },
    );
    expect(resolved.body).toMatchObject({
      id: conversation.id,
      status: 'resolved',
      changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
    });

    // The agent's WebSocket saw typing, the message, the reply and the resolution live.
    await waitFor(() => live.messages.some((message) => message.type === 'conversation.status_changed'), {
      what: 'status change on the WebSocket',
    });
    const types = live.messages.map((message) => message.type);
    expect(types).toEqual(
      expect.arrayContaining(['conversation.typing_on', 'message.created', 'conversation.status_changed']),
    );
    const typing = live.messages.find((message) => message.type === 'conversation.typing_on');
    expect(typing?.payload).toMatchObject({
      conversation: { id: conversation.id },
      performer: { type: 'contact' },
    });
    const agentTyping = live.messages.find(
      (message) =>
        message.type === 'conversation.typing_on' &&
        message.payload?.performer !== typing?.payload?.performer,
    );
    expect(agentTyping?.payload).toMatchObject({
      performer: { type: 'user', id: agent.userId, name: 'Alice Agent' },
    });

    // Leaving takes the agent offline (auto_offline is on by default).
    live.socket.close();
    await waitFor(async () => (await availabilityOf(agent.userId)) === 'offline', { what: 'agent offline' });
  });

  it('hands the visitor’s message to a bound agent bot, whose reply reaches the visitor', async () => {
    const inbox = await post<{ id: number; inbox_identifier: string }>(account('/inboxes'), {
      name: 'Bot desk',
      channel: { type: 'api' },
    });
    const bot = await post<{ id: number; access_token: string }>(account('/agent_bots'), {
      name: 'Helper bot',
      outgoing_url: receiver.url('/bot'),
    });
    const bound = await request({
      method: 'POST',
      url: account(`/inboxes/${inbox.id}/set_agent_bot`),
      headers: admin(),
      payload: { agent_bot: bot.id },
    });
    expect(bound.statusCode).toBeLessThan(300);

    const client = `/chatwoot/public/api/v1/inboxes/${inbox.inbox_identifier}`;
    const contact = await post<{ source_id: string }>(`${client}/contacts`, { name: 'Bob Visitor' }, {});
    const visitor = `${client}/contacts/${contact.source_id}`;
    const conversation = await post<{ id: number }>(`${visitor}/conversations`, {}, {});
    const question = await post<{ id: string }>(
      `${visitor}/conversations/${conversation.id}/messages`,
      { content: 'What are your opening hours?' },
      {},
    );

    const delivered = await waitFor(
      () =>
        bodies(receiver, '/bot').find(
          ({ body }) => body.event === 'message_created' && body.id === Number(question.id),
        ),
      { what: 'message_created at the bot' },
    );
    expect(delivered.body).toMatchObject({ message_type: 'incoming', conversation: { id: conversation.id } });
    expect(delivered.request.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    const answer = await post<{ id: number }>(
      account(`/conversations/${conversation.id}/messages`),
      { content: 'We are open 9 to 5.', message_type: 'outgoing' },
      { api_access_token: bot.access_token },
    );

    const thread = await request({
      method: 'GET',
      url: `${visitor}/conversations/${conversation.id}/messages`,
    });
    expect(thread.json<{ id: string; content: string; sender: { type: string } | null }[]>()).toEqual([
      expect.objectContaining({ id: question.id }),
      expect.objectContaining({
        id: String(answer.id),
        content: 'We are open 9 to 5.',
        sender: expect.objectContaining({ type: 'agent_bot' }),
      }),
    ]);
    // The bot is not sent its own reply back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bodies(receiver, '/bot').some(({ body }) => body.id === answer.id)).toBe(false);
  });
});
