import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import type { RealtimeMessage } from '../../platform/realtime/realtime-bus.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';
import { multipart } from '../../testing/multipart.js';

interface MessageDto {
  id: number;
  conversationId: number;
  messageType: string;
  content: string | null;
  private: boolean;
  status: string;
  sender: { type: string; id: number; name: string; avatarUrl: string | null } | null;
  attachments: {
    id: number;
    fileType: string;
    fileName: string | null;
    contentType: string | null;
    byteSize: number | null;
    url: string | null;
  }[];
  createdAt: string;
}
interface PageDto {
  data: MessageDto[];
  nextCursor: string | null;
}

describe(`native inbox API: messages (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let conversationId: number;
  let otherConversationId: number;
  let ann: { userId: number; token: string; name: string };
  let bob: { userId: number; token: string };
  let stranger: { userId: number; token: string };

  const url = (id: number, rest = '/messages', account = accountId) =>
    `/api/v1/accounts/${account}/conversations/${id}${rest}`;
  const get = (token: string, path: string) =>
    injector(app)({ method: 'GET', url: path, headers: bearer(token) });
  const post = (token: string, path: string, payload: object) =>
    injector(app)({ method: 'POST', url: path, headers: bearer(token), payload });
  const postMultipart = (token: string, path: string, body: ReturnType<typeof multipart>) =>
    injector(app)({
      method: 'POST',
      url: path,
      headers: { ...bearer(token), 'content-type': body.contentType },
      payload: body.payload,
    });

  async function idOf(account: number, displayId: number): Promise<number> {
    const [row] = await app.parley.ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, account), eq(conversations.displayId, displayId)));
    if (!row) throw new Error('no conversation');
    return row.id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Acme');
    accountId = account.accountId;
    ann = await seedAgent(app, accountId, { name: 'Ann' });
    bob = await seedAgent(app, accountId, { name: 'Bob' });
    const inboxId = await seedInbox(app, accountId, { memberIds: [ann.userId] });
    const contactId = await seedContact(app, accountId, { name: 'Jane', email: 'jane@x.io' });
    conversationId = await idOf(
      accountId,
      await openConversation(chatwootClient(app, account.apiKey), accountId, {
        inbox_id: inboxId,
        contact_id: contactId,
      }),
    );

    const other = await seedAccount(app, 'Globex');
    stranger = await seedAgent(app, other.accountId, { role: 'administrator' });
    const otherInbox = await seedInbox(app, other.accountId);
    const otherContact = await seedContact(app, other.accountId, { email: 'g@x.io' });
    otherConversationId = await idOf(
      other.accountId,
      await openConversation(chatwootClient(app, other.apiKey), other.accountId, {
        inbox_id: otherInbox,
        contact_id: otherContact,
        message: { content: 'secret of Globex' },
      }),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates a reply and a private note from JSON, authored by the agent', async () => {
    const reply = await post(ann.token, url(conversationId), { content: 'Hello Jane' });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.json<MessageDto>()).toEqual({
      id: expect.any(Number),
      conversationId,
      messageType: 'outgoing',
      content: 'Hello Jane',
      private: false,
      status: 'sent',
      sender: { type: 'user', id: ann.userId, name: 'Ann', avatarUrl: null },
      attachments: [],
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    const note = await post(ann.token, url(conversationId), { content: 'She is a VIP', private: true });
    expect(note.statusCode).toBe(201);
    expect(note.json<MessageDto>()).toMatchObject({ private: true, content: 'She is a VIP' });

    const latest = (await get(ann.token, url(conversationId))).json<PageDto>().data;
    expect(latest.slice(-2).map((message) => [message.content, message.private])).toEqual([
      ['Hello Jane', false],
      ['She is a VIP', true],
    ]);
  });

  it('refuses an empty or malformed message with 422', async () => {
    for (const body of [
      {},
      { content: '' },
      { content: '   ' },
      { content: 'x', private: 'yes' },
      { content: 7 },
    ]) {
      const response = await post(ann.token, url(conversationId), body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
  });

  it('stores files sent as multipart and serves them from a same-origin URL', async () => {
    const data = Buffer.from('%PDF-1.4 not really a pdf');
    const response = await postMultipart(
      ann.token,
      url(conversationId),
      multipart({ content: 'The invoice', private: 'false' }, [
        { name: 'files[]', fileName: 'invoice.pdf', contentType: 'application/pdf', data },
      ]),
    );
    expect(response.statusCode, response.body).toBe(201);
    const message = response.json<MessageDto>();
    expect(message).toMatchObject({ content: 'The invoice', private: false, messageType: 'outgoing' });
    expect(message.attachments).toEqual([
      {
        id: expect.any(Number),
        fileType: 'file',
        fileName: 'invoice.pdf',
        contentType: 'application/pdf',
        byteSize: data.length,
        url: expect.stringMatching(/^\/blobs\//),
      },
    ]);
    const download = await injector(app)({ method: 'GET', url: message.attachments[0]?.url ?? '' });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(data)).toBe(true);

    // A file alone is a message; a private note can carry one too.
    const fileOnly = await postMultipart(
      ann.token,
      url(conversationId),
      multipart({ private: 'true' }, [
        {
          name: 'files[]',
          fileName: 'a.png',
          contentType: 'image/png',
          data: Buffer.from([137, 80, 78, 71]),
        },
      ]),
    );
    expect(fileOnly.statusCode, fileOnly.body).toBe(201);
    expect(fileOnly.json<MessageDto>()).toMatchObject({ content: null, private: true });
    expect(fileOnly.json<MessageDto>().attachments[0]?.fileType).toBe('image');

    for (const fields of [{}, { content: 'x', private: 'maybe' }] as Record<string, string>[]) {
      const refused = await postMultipart(ann.token, url(conversationId), multipart(fields));
      expect(refused.statusCode, JSON.stringify(fields)).toBe(422);
    }
  });

  it('pages back through older messages without gaps or repeats', async () => {
    for (let index = 0; index < 23; index++) {
      const response = await post(ann.token, url(conversationId), { content: `message ${index}` });
      expect(response.statusCode).toBe(201);
    }
    const seen: MessageDto[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const response = await get(
        ann.token,
        `${url(conversationId)}?limit=7${before ? `&before=${before}` : ''}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const page: PageDto = response.json<PageDto>();
      expect(page.data.length).toBeLessThanOrEqual(7);
      // Oldest first within a page.
      const pageIds = page.data.map((message) => message.id);
      expect([...pageIds].sort((a, b) => a - b)).toEqual(pageIds);
      seen.unshift(...page.data);
      before = page.nextCursor;
      pages++;
    } while (before && pages < 20);
    const seenIds = seen.map((message) => message.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect([...seenIds].sort((a, b) => a - b)).toEqual(seenIds);
    // Every message of the conversation, activity messages included (the API key's opening has none).
    expect(seen.filter((message) => message.content?.startsWith('message ')).map((m) => m.content)).toEqual(
      Array.from({ length: 23 }, (_, index) => `message ${index}`),
    );
    expect(pages).toBe(Math.ceil(seen.length / 7));
    expect((await get(ann.token, `${url(conversationId)}?before=abc`)).statusCode).toBe(422);
    expect((await get(ann.token, `${url(conversationId)}?limit=500`)).statusCode).toBe(422);
  });

  it('keeps agents outside the inbox and other accounts out', async () => {
    // The upload route lives in its own (multipart) scope: the face's authentication still guards it.
    const anonymous = await injector(app)({
      method: 'POST',
      url: url(conversationId),
      payload: { content: 'hi' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await get(bob.token, url(conversationId))).statusCode).toBe(403);
    expect((await post(bob.token, url(conversationId), { content: 'hi' })).statusCode).toBe(403);
    const upload = await postMultipart(
      bob.token,
      url(conversationId),
      multipart({ content: 'x' }, [
        { name: 'files[]', fileName: 'x.txt', contentType: 'text/plain', data: Buffer.from('x') },
      ]),
    );
    expect(upload.statusCode).toBe(403);
    // Another account's conversation, through this account's path: not found.
    expect((await get(ann.token, url(otherConversationId))).statusCode).toBe(404);
    expect((await post(ann.token, url(otherConversationId), { content: 'hi' })).statusCode).toBe(404);
    // Another account's administrator cannot enter this account.
    expect((await get(stranger.token, url(conversationId))).statusCode).toBe(404);
    const page = (await get(ann.token, url(conversationId))).json<PageDto>();
    expect(page.data.map((message) => message.content)).not.toContain('hi');
  });

  it('pushes the agent’s typing to the account’s listeners', async () => {
    const heard: RealtimeMessage[] = [];
    // Only the bus: the test app runs no background work unless asked.
    await app.parley.ctx.bus.start();
    const stop = app.parley.ctx.bus.subscribe(accountId, (message) => {
      heard.push(message);
    });
    try {
      const on = await post(ann.token, url(conversationId, '/typing'), { typing: true });
      expect(on.statusCode).toBe(204);
      expect((await post(ann.token, url(conversationId, '/typing'), { typing: false })).statusCode).toBe(204);
      expect((await post(ann.token, url(conversationId, '/typing'), { typing: 'yes' })).statusCode).toBe(422);
      expect((await post(bob.token, url(conversationId, '/typing'), { typing: true })).statusCode).toBe(403);
      await expect
        .poll(() => heard.map((message) => message.type))
        .toEqual(['conversation.typing_on', 'conversation.typing_off']);
      expect(heard[0]?.payload).toMatchObject({
        conversation: { conversationId },
        performer: { type: 'user', id: ann.userId, name: 'Ann' },
      });
    } finally {
      stop();
    }
  });
});
