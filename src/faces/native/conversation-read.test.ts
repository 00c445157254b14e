import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';

type Method = 'GET' | 'POST';
interface Seeded {
  accountId: number;
  apiKey: string;
}

/** `POST .../conversations/:id/read`: Chatwoot's update_last_seen for the web inbox. */
describe(`marking a conversation read (${backendName})`, () => {
  let app: TestApp;
  let acme: Seeded;
  let globex: Seeded;
  let ann: { userId: number; token: string };
  let bob: { userId: number; token: string };
  let stranger: { userId: number; token: string };
  let inboxId: number;
  let conversationId: number;
  let displayId: number;

  const call = (method: Method, path: string, payload?: object, token?: string, account?: Seeded) =>
    injector(app)({
      method,
      url: `/api/v1/accounts/${String((account ?? acme).accountId)}${path}`,
      headers: bearer(token ?? (account ?? acme).apiKey),
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    app = await createTestApp();
    acme = await seedAccount(app, 'Acme');
    globex = await seedAccount(app, 'Globex');
    ann = await seedAgent(app, acme.accountId, { name: 'Ann' });
    bob = await seedAgent(app, acme.accountId, { name: 'Bob' });
    stranger = await seedAgent(app, globex.accountId, { name: 'Stranger', role: 'administrator' });
    inboxId = await seedInbox(app, acme.accountId, { name: 'Chat', memberIds: [ann.userId] });
    const contactId = await seedContact(app, acme.accountId, { name: 'Una' });
    const chatwoot = chatwootClient(app, acme.apiKey);
    displayId = await openConversation(chatwoot, acme.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
      assignee_id: ann.userId,
    });
    for (const content of ['Hello?', 'Anyone there?']) {
      const message = await chatwoot.post(
        `/api/v1/accounts/${String(acme.accountId)}/conversations/${String(displayId)}/messages`,
        { content, message_type: 'incoming' },
      );
      expect(message.statusCode, message.body).toBe(200);
    }
    const [row] = await app.parley.ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, acme.accountId), eq(conversations.displayId, displayId)));
    conversationId = row?.id ?? 0;
  });
  afterAll(async () => {
    await app.close();
  });

  it('clears the unread count and records when agents last saw it', async () => {
    const before = await call('GET', `/conversations/${String(conversationId)}`, undefined, ann.token);
    expect(before.json<{ unreadCount: number }>().unreadCount).toBe(2);

    const read = await call('POST', `/conversations/${String(conversationId)}/read`, undefined, ann.token);

    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<{ unreadCount: number }>().unreadCount).toBe(0);
    const list = await call('GET', `/conversations?inboxId=${String(inboxId)}`, undefined, ann.token);
    expect(list.json<{ data: { id: number; unreadCount: number }[] }>().data).toContainEqual(
      expect.objectContaining({ id: conversationId, unreadCount: 0 }),
    );
    const [row] = await app.parley.ctx.db
      .select({ agent: conversations.agentLastSeenAt, assignee: conversations.assigneeLastSeenAt })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    expect(row?.agent).toBeInstanceOf(Date);
    // Ann is the assignee, so her last look is recorded as the assignee's too.
    expect(row?.assignee?.getTime()).toBe(row?.agent?.getTime());
  });

  it('counts new messages again after the read', async () => {
    await call('POST', `/conversations/${String(conversationId)}/read`, undefined, ann.token);
    await chatwootClient(app, acme.apiKey).post(
      `/api/v1/accounts/${String(acme.accountId)}/conversations/${String(displayId)}/messages`,
      { content: 'Still there?', message_type: 'incoming' },
    );

    const after = await call('GET', `/conversations/${String(conversationId)}`, undefined, ann.token);

    expect(after.json<{ unreadCount: number }>().unreadCount).toBe(1);
  });

  it('refuses an agent outside the inbox (403), another account (404) and a bad id (422)', async () => {
    const outside = await call('POST', `/conversations/${String(conversationId)}/read`, undefined, bob.token);
    const otherAccount = await call(
      'POST',
      `/conversations/${String(conversationId)}/read`,
      undefined,
      stranger.token,
      globex,
    );
    const badId = await call('POST', '/conversations/abc/read', undefined, ann.token);

    expect(outside.statusCode).toBe(403);
    expect(otherAccount.statusCode).toBe(404);
    expect(badId.statusCode).toBe(422);
    const still = await call('GET', `/conversations/${String(conversationId)}`);
    expect(still.json<{ unreadCount: number }>().unreadCount).toBeGreaterThan(0);
  });
});
