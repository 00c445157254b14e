import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, injector, seedAccount, type TestApp } from '../../../testing/app.js';
import { backendName } from '../../../testing/database.js';
import { waitFor } from '../../../testing/wait.js';

interface Visitor {
  sourceId: string;
  conversationId: number;
}

interface Listener {
  socket: WebSocket;
  frames: Record<string, unknown>[];
}

describe(`the chat widget's real-time socket (${backendName})`, () => {
  let app: TestApp;
  let request: ReturnType<typeof injector>;
  let wsBase: string;
  let acme: { accountId: number; apiKey: string };
  let globex: { accountId: number; apiKey: string };
  let acmeInbox: string;
  let globexInbox: string;
  const sockets: WebSocket[] = [];

  async function createInbox(account: { accountId: number; apiKey: string }): Promise<string> {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${account.accountId}/inboxes`,
      headers: { api_access_token: account.apiKey },
      payload: { name: 'Website', channel: { type: 'api' } },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ inbox_identifier: string }>().inbox_identifier;
  }

  async function visitor(inbox: string): Promise<Visitor> {
    const base = `/chatwoot/public/api/v1/inboxes/${inbox}`;
    const contact = await request({ method: 'POST', url: `${base}/contacts`, payload: { name: 'Visitor' } });
    const sourceId = contact.json<{ source_id: string }>().source_id;
    const conversation = await request({
      method: 'POST',
      url: `${base}/contacts/${sourceId}/conversations`,
      payload: {},
    });
    return { sourceId, conversationId: conversation.json<{ id: number }>().id };
  }

  const socketUrl = (inbox: string, sourceId: string) =>
    `${wsBase}/chatwoot/public/api/v1/inboxes/${inbox}/contacts/${sourceId}/realtime`;

  async function listen(inbox: string, sourceId: string): Promise<Listener> {
    const socket = new WebSocket(socketUrl(inbox, sourceId));
    sockets.push(socket);
    const frames: Record<string, unknown>[] = [];
    socket.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8'))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await waitFor(() => frames.some((frame) => frame.type === 'connection.ready'), { what: 'ready' });
    return { socket, frames };
  }

  /** The HTTP status an upgrade is refused with. */
  function refusal(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      // Aborting the refused upgrade makes the socket report an error: expected here.
      socket.on('error', () => undefined);
      socket.once('unexpected-response', (upgrade, response) => {
        resolve(response.statusCode ?? 0);
        upgrade.destroy();
      });
      socket.once('open', () => reject(new Error('the upgrade was accepted')));
    });
  }

  async function agentWrites(conversationId: number, payload: Record<string, unknown>): Promise<number> {
    const response = await request({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/conversations/${conversationId}/messages`,
      headers: { api_access_token: acme.apiKey },
      payload,
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number }>().id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    request = injector(app);
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    acmeInbox = await createInbox(acme);
    globexInbox = await createInbox(globex);
    await app.parley.startBackground();
    await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    wsBase = `ws://127.0.0.1:${(app.parley.server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await app.close();
  });

  it("signals the visitor's own conversation changes, never private notes nor anyone else's", async () => {
    const ada = await visitor(acmeInbox);
    const bob = await visitor(acmeInbox);
    const adaSocket = await listen(acmeInbox, ada.sourceId);
    const bobSocket = await listen(acmeInbox, bob.sourceId);

    const note = await agentWrites(ada.conversationId, { content: 'Internal: VIP', private: true });
    const reply = await agentWrites(ada.conversationId, { content: 'Hello Ada' });
    const signal = await waitFor(() => adaSocket.frames.find((frame) => frame.message_id === reply), {
      what: "the reply's signal",
    });
    // A signal, not the message: the widget reads it through the client API, which filters.
    expect(signal).toEqual({
      type: 'message.created',
      conversation_id: ada.conversationId,
      message_id: reply,
    });
    // Events are relayed in order: the note's, had it been sent, would have arrived first.
    expect(adaSocket.frames.some((frame) => frame.message_id === note)).toBe(false);
    expect(JSON.stringify(adaSocket.frames)).not.toContain('VIP');

    // Bob hears about his own conversation only.
    const bobReply = await agentWrites(bob.conversationId, { content: 'Hello Bob' });
    await waitFor(() => bobSocket.frames.some((frame) => frame.message_id === bobReply), {
      what: "Bob's signal",
    });
    expect(bobSocket.frames.some((frame) => frame.conversation_id === ada.conversationId)).toBe(false);
    expect(adaSocket.frames.some((frame) => frame.message_id === bobReply)).toBe(false);

    // The visitor's own message (sent from another tab, say) is signalled too.
    const own = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${acmeInbox}/contacts/${ada.sourceId}/conversations/${ada.conversationId}/messages`,
      payload: { content: 'Thanks!' },
    });
    const ownId = Number(own.json<{ id: string }>().id);
    await waitFor(() => adaSocket.frames.some((frame) => frame.message_id === ownId), {
      what: "the visitor's own message",
    });
  });

  it("signals an agent's typing in the visitor's own conversation only, never a note's nor their own", async () => {
    const ada = await visitor(acmeInbox);
    const bob = await visitor(acmeInbox);
    const adaSocket = await listen(acmeInbox, ada.sourceId);
    const bobSocket = await listen(acmeInbox, bob.sourceId);
    const agentTypes = async (conversationId: number, payload: Record<string, unknown>) => {
      const response = await request({
        method: 'POST',
        url: `/chatwoot/api/v1/accounts/${acme.accountId}/conversations/${conversationId}/toggle_typing_status`,
        headers: { api_access_token: acme.apiKey },
        payload,
      });
      expect(response.statusCode, response.body).toBe(200);
    };

    await agentTypes(ada.conversationId, { typing_status: 'on', is_private: true });
    const visitorTypes = await request({
      method: 'POST',
      url: `/chatwoot/public/api/v1/inboxes/${acmeInbox}/contacts/${ada.sourceId}/conversations/${ada.conversationId}/toggle_typing`,
      payload: { typing_status: 'on' },
    });
    expect(visitorTypes.statusCode).toBe(200);
    await agentTypes(ada.conversationId, { typing_status: 'on' });
    await agentTypes(ada.conversationId, { typing_status: 'off' });

    await waitFor(() => adaSocket.frames.some((frame) => frame.type === 'conversation.typing_off'), {
      what: "the agent's typing off",
    });
    // In order: the note's typing and the visitor's own were never signalled.
    expect(adaSocket.frames.filter((frame) => String(frame.type).includes('typing'))).toEqual([
      { type: 'conversation.typing_on', conversation_id: ada.conversationId },
      { type: 'conversation.typing_off', conversation_id: ada.conversationId },
    ]);
    expect(bobSocket.frames.some((frame) => String(frame.type).includes('typing'))).toBe(false);
  });

  it('refuses unknown visitors, and a visitor through another account’s inbox, before the upgrade', async () => {
    const ada = await visitor(acmeInbox);
    expect(await refusal(socketUrl(acmeInbox, 'no-such-visitor'))).toBe(404);
    expect(await refusal(socketUrl('no-such-inbox', ada.sourceId))).toBe(404);
    expect(await refusal(socketUrl(globexInbox, ada.sourceId))).toBe(404);

    const plain = await request({
      method: 'GET',
      url: `/chatwoot/public/api/v1/inboxes/${acmeInbox}/contacts/${ada.sourceId}/realtime`,
    });
    expect(plain.statusCode).toBe(426);
  });
});
