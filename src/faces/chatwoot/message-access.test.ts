import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { messages } from '../../core/conversations/conversations.tables.js';
import {
  chatwootClient,
  conversationRowOf,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';

/**
 * Who may post in a conversation, and whom the message is from: the route reads both with the
 * conversation's lock, so they are checked here apart from the message's shape.
 */

interface MessageJson {
  id: number;
  sender_type?: string;
  sender_id?: number;
  sender?: { id: number; type: string };
}

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let agent: { userId: number; token: string; name: string };
let asAgent: ChatwootClient;
let inboxId: number;
let contactId: number;

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
});

afterAll(async () => {
  await app.close();
});

describe('POST /messages: access and sender', () => {
  it("refuses an agent outside the conversation's inbox until they join it", async () => {
    // The agent answers inboxId; this conversation is in an inbox the agent is not in.
    const foreignInbox = await seedInbox(app, accountId, { memberIds: [] });
    const displayId = await openConversation(admin, accountId, {
      inbox_id: foreignInbox,
      contact_id: contactId,
    });
    const row = await conversationRow(displayId);

    const refused = await asAgent.post(`${A()}/conversations/${displayId}/messages`, { content: 'hi' });
    const joined = await admin.post(`${A()}/inbox_members`, {
      inbox_id: foreignInbox,
      user_ids: [agent.userId],
    });
    const asMember = await asAgent.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'mine now',
    });

    expect(refused.statusCode).toBe(403);
    expect(joined.statusCode).toBe(200);
    expect(asMember.statusCode).toBe(200);
    const stored = await app.parley.ctx.db
      .select({ content: messages.content })
      .from(messages)
      .where(and(eq(messages.conversationId, row.id), eq(messages.messageType, 'outgoing')));
    expect(stored.map((message) => message.content)).toEqual(['mine now']);
  });

  it("writes an API key's reply and a contact's incoming message with the sender each has", async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });

    const reply = await admin.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'From the integration',
      message_type: 'outgoing',
    });
    const incoming = await admin.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'From Jane',
      message_type: 'incoming',
    });

    expect(reply.statusCode).toBe(200);
    expect(incoming.statusCode).toBe(200);
    const ids = [reply.json<MessageJson>().id, incoming.json<MessageJson>().id];
    const stored = await app.parley.ctx.db
      .select({ senderType: messages.senderType, senderId: messages.senderId })
      .from(messages)
      .where(inArray(messages.id, ids))
      .orderBy(messages.id);
    // An API key is nobody: its reply has no sender, as in Chatwoot.
    expect(stored).toEqual([
      { senderType: null, senderId: null },
      { senderType: 'contact', senderId: contactId },
    ]);
    // The seed types these fields without null: a message without a sender leaves them out.
    expect(reply.json<MessageJson>()).not.toHaveProperty('sender_type');
    expect(reply.json<MessageJson>()).not.toHaveProperty('sender');
    expect(incoming.json<MessageJson>()).toMatchObject({
      sender_type: 'contact',
      sender_id: contactId,
      sender: { id: contactId, type: 'contact' },
    });
  });
});
