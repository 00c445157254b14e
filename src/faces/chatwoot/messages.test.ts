import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { attachments, messages } from '../../core/conversations/conversations.tables.js';
import { createAgentBot } from '../../core/agent-bots/agent-bots.js';
import { events } from '../../platform/events/events.tables.js';
import {
  chatwootClient,
  conversationRowOf,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';

interface MessageJson {
  id: number;
  content: string | null;
  account_id: number;
  inbox_id: number;
  conversation_id: number;
  message_type: number;
  created_at: number;
  updated_at: number;
  private: boolean;
  status: string;
  source_id: string | null;
  content_type: string;
  content_attributes: Record<string, unknown>;
  sender_type: string | null;
  sender_id: number | null;
  attachments: {
    id: number;
    message_id: number;
    file_type: string;
    account_id: number;
    extension: string | null;
    data_url: string;
    thumb_url: string;
    file_size: number;
  }[];
  sender: { id: number; name: string; type: string } | null;
}

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let agent: { userId: number; token: string; name: string };
let asAgent: ChatwootClient;
let inboxId: number;
let contactId: number;
let other: { accountId: number; client: ChatwootClient };

const A = () => `/api/v1/accounts/${accountId}`;

const conversationRow = (displayId: number) => conversationRowOf(app, accountId, displayId);

beforeAll(async () => {
  app = await createTestApp();
  const seeded = await seedAccount(app, 'Acme');
  accountId = seeded.accountId;
  admin = chatwootClient(app, seeded.apiKey);
  agent = await seedAgent(app, accountId, { name: 'Alice' });
  asAgent = chatwootClient(app, agent.token);
  inboxId = await seedInbox(app, accountId, { memberIds: [agent.userId] });
  contactId = await seedContact(app, accountId, { name: 'Jane Doe' });
  const second = await seedAccount(app, 'Globex');
  other = { accountId: second.accountId, client: chatwootClient(app, second.apiKey) };
});

afterAll(async () => {
  await app.close();
});

describe('POST /messages', () => {
  it('creates an outgoing message from the calling agent, in the seed shape', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });

    const response = await asAgent.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'Hi Jane',
      message_type: 'outgoing',
    });

    expect(response.statusCode).toBe(200);
    const body = response.json<MessageJson>();
    expect(body).toMatchObject({
      content: 'Hi Jane',
      account_id: accountId,
      inbox_id: inboxId,
      conversation_id: displayId,
      message_type: 1,
      private: false,
      status: 'sent',
      content_type: 'text',
      content_attributes: {},
      sender_type: 'agent',
      sender_id: agent.userId,
      attachments: [],
      sender: { id: agent.userId, name: 'Alice', type: 'user' },
    });
    expect(Number.isInteger(body.created_at)).toBe(true);
    const recorded = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'message.created'), eq(events.aggregateId, String(body.id))));
    expect(recorded[0]?.payload).toMatchObject({
      message: { id: body.id, content: 'Hi Jane', sender: { type: 'user', id: agent.userId } },
      conversation: { displayId },
    });
  });

  it('stores a message once for the same echo_id', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const url = `${A()}/conversations/${displayId}/messages`;

    const first = await admin.post(url, { content: 'once', echo_id: 'client-1' });
    const second = await admin.post(url, { content: 'once', echo_id: 'client-1' });

    expect(second.statusCode).toBe(200);
    expect(second.json<MessageJson>().id).toBe(first.json<MessageJson>().id);
    const row = await conversationRow(displayId);
    const stored = await app.parley.ctx.db.select().from(messages).where(eq(messages.conversationId, row.id));
    expect(stored.filter((message) => message.echoId === 'client-1')).toHaveLength(1);
    const created = await app.parley.ctx.db
      .select()
      .from(events)
      .where(
        and(eq(events.type, 'message.created'), eq(events.aggregateId, String(first.json<MessageJson>().id))),
      );
    expect(created).toHaveLength(1);
  });

  it('keeps unread, waiting_since and first reply in step', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const url = `${A()}/conversations/${displayId}/messages`;

    await admin.post(url, { content: 'help?', message_type: 'incoming' });
    await admin.post(url, { content: 'anyone?', message_type: 'incoming' });
    const waiting = await conversationRow(displayId);
    await asAgent.post(url, { content: 'internal note', private: true });
    const afterNote = await conversationRow(displayId);
    await asAgent.post(url, { content: 'On it!' });
    const afterReply = await conversationRow(displayId);
    await admin.post(url, { content: 'thanks', message_type: 'incoming' });
    const shown = (await admin.get(`${A()}/conversations/${displayId}`)).json<{
      unread_count: number;
      waiting_since?: number;
      first_reply_created_at?: number;
    }>();

    expect(waiting.unreadCount).toBe(2);
    expect(waiting.waitingSince).not.toBeNull();
    expect(afterNote.firstReplyCreatedAt).toBeNull();
    expect(afterNote.waitingSince).toEqual(waiting.waitingSince);
    expect(afterReply.firstReplyCreatedAt).not.toBeNull();
    expect(afterReply.waitingSince).toBeNull();
    expect(shown.unread_count).toBe(3);
    expect(typeof shown.waiting_since).toBe('number');
    expect(shown.first_reply_created_at).toBe(Math.floor(afterReply.firstReplyCreatedAt!.getTime() / 1000));
  });

  it('reopens a resolved conversation when the contact writes', async () => {
    const displayId = await openConversation(admin, accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'resolved',
    });

    await admin.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'me again',
      message_type: 'incoming',
    });

    expect((await conversationRow(displayId)).status).toBe('open');
  });

  it('refuses an empty message with 422 and writes nothing', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const row = await conversationRow(displayId);

    const empty = await admin.post(`${A()}/conversations/${displayId}/messages`, { content: '' });
    const badType = await admin.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'x',
      message_type: 'sideways',
    });

    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ errors: [{ field: 'content', code: 'validation_failed' }] });
    expect([400, 422]).toContain(badType.statusCode);
    expect(await app.parley.ctx.db.$count(messages, eq(messages.conversationId, row.id))).toBe(0);
  });

  it("answers 404 for another account's conversation", async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });

    const response = await other.client.post(
      `/api/v1/accounts/${other.accountId}/conversations/${displayId}/messages`,
      {
        content: 'sneaky',
      },
    );
    const cross = await other.client.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'sneaky',
    });

    expect(response.statusCode).toBe(404);
    expect(cross.statusCode).toBe(404);
  });

  it('lets an agent bot reply as itself', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const { bot, token } = await createAgentBot(
      app.parley.ctx.db,
      { name: 'Helper bot', accountId, isPlatformOwned: false },
      { type: 'system' },
    );
    const asBot = chatwootClient(app, token);

    const response = await asBot.post(`${A()}/conversations/${displayId}/messages`, { content: 'Beep' });
    const listAsBot = await asBot.get(`${A()}/conversations/${displayId}/messages`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      sender_type: 'agent_bot',
      sender_id: bot.id,
      sender: { type: 'agent_bot' },
    });
    // A bot's reply is not a person's first reply.
    expect((await conversationRow(displayId)).firstReplyCreatedAt).toBeNull();
    // Listing messages is not among the operations Chatwoot opens to bots.
    expect(listAsBot.statusCode).toBe(401);
  });
});

describe('multipart attachments', () => {
  it('stores attachments[] files and serves them through data_url', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const boundary = '----parleytest';
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nSee attached\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="shot.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="notes.txt"\r\n` +
          `Content-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`,
      ),
    ]);

    const response = await app.parley.server.inject({
      method: 'POST',
      url: `/chatwoot${A()}/conversations/${displayId}/messages`,
      headers: { api_access_token: agent.token, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });

    expect(response.statusCode).toBe(200);
    const body = response.json<MessageJson>();
    expect(body.content).toBe('See attached');
    expect(body.attachments).toHaveLength(2);
    const [image, text] = body.attachments;
    expect(image).toMatchObject({
      message_id: body.id,
      file_type: 'image',
      account_id: accountId,
      extension: 'png',
      file_size: png.length,
    });
    expect(text).toMatchObject({ file_type: 'file', extension: 'txt', file_size: 5 });
    const download = await app.parley.server.inject({
      method: 'GET',
      url: new URL(image!.data_url).pathname + new URL(image!.data_url).search,
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
    expect(download.headers['content-type']).toContain('image/png');
  });

  it('refuses a multipart message with bad fields and keeps no file', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const before = await app.parley.ctx.db.$count(attachments);
    const boundary = '----parleybad';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="message_type"\r\n\r\nsideways\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="a.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\nabc\r\n--${boundary}--\r\n`;

    const response = await app.parley.server.inject({
      method: 'POST',
      url: `/chatwoot${A()}/conversations/${displayId}/messages`,
      headers: { api_access_token: agent.token, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });

    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ errors: [{ field: 'message_type' }] });
    expect(await app.parley.ctx.db.$count(attachments)).toBe(before);
  });
});

describe('GET /messages and DELETE', () => {
  let displayId: number;
  let ids: number[];

  beforeAll(async () => {
    displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    ids = [];
    for (let index = 1; index <= 25; index += 1) {
      const response = await admin.post(`${A()}/conversations/${displayId}/messages`, {
        content: `message ${index}`,
        message_type: index % 2 ? 'incoming' : 'outgoing',
      });
      ids.push(response.json<MessageJson>().id);
    }
    await admin.post(`${A()}/conversations/${displayId}/labels`, { labels: ['vip'] });
  });

  it('returns the latest 20 in order with the conversation meta', async () => {
    const response = await admin.get(`${A()}/conversations/${displayId}/messages`);

    expect(response.statusCode).toBe(200);
    const body = response.json<{
      meta: {
        labels: string[];
        contact: { id: number; name: string };
        assignee?: unknown;
        agent_last_seen_at?: string;
      };
      payload: MessageJson[];
    }>();
    expect(body.payload.map((message) => message.id)).toEqual(ids.slice(5));
    expect(body.meta).toMatchObject({
      labels: ['vip'],
      contact: { id: contactId, name: 'Jane Doe' },
      additional_attributes: {},
    });
    // No assignee and never seen: left out, as the seed types them without null.
    expect(body.meta).not.toHaveProperty('assignee');
    expect(body.meta).not.toHaveProperty('agent_last_seen_at');
    expect(body.payload.find((message) => message.message_type === 0)?.sender).toMatchObject({
      type: 'contact',
      id: contactId,
    });
  });

  it('pages with before and after', async () => {
    const before = await admin.get(`${A()}/conversations/${displayId}/messages?before=${ids[5]}`);
    const after = await admin.get(`${A()}/conversations/${displayId}/messages?after=${ids[20]}`);

    expect(before.json<{ payload: MessageJson[] }>().payload.map((message) => message.id)).toEqual(
      ids.slice(0, 5),
    );
    expect(after.json<{ payload: MessageJson[] }>().payload.map((message) => message.id)).toEqual(
      ids.slice(21),
    );
  });

  it('serves the un-prefixed path with the same shape, with a token only', async () => {
    const withToken = await admin.get(`/accounts/${accountId}/conversations/${displayId}/messages`);
    const withoutToken = await app.parley.server.inject({
      method: 'GET',
      url: `/chatwoot/accounts/${accountId}/conversations/${displayId}/messages`,
    });
    const otherAccount = await other.client.get(`/accounts/${accountId}/conversations/${displayId}/messages`);

    expect(withToken.statusCode).toBe(200);
    expect(withToken.json<{ payload: MessageJson[] }>().payload).toHaveLength(20);
    expect(withoutToken.statusCode).toBe(401);
    expect(otherAccount.statusCode).toBe(404);
  });

  it('deletes a message the Chatwoot way', async () => {
    const target = ids[24]!;

    const response = await admin.delete(`${A()}/conversations/${displayId}/messages/${target}`);
    const foreign = await other.client.delete(`${A()}/conversations/${displayId}/messages/${ids[23]}`);
    const missing = await admin.delete(`${A()}/conversations/${displayId}/messages/999999`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: target,
      content: 'This message was deleted',
      content_attributes: { deleted: true },
    });
    expect(foreign.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const updated = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'message.updated'), eq(events.aggregateId, String(target))));
    expect(updated[0]?.payload).toMatchObject({ message: { deleted: true } });
  });
});
