import { and, eq, sql } from 'drizzle-orm';
import { messages } from '../../core/conversations/conversations.tables.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/database.js';
import { enqueue } from '../../platform/jobs/index.js';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { sendScheduledMessageJob } from '../../core/scheduled-messages/index.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';
import {
  makeScheduledMessageDue,
  scheduledMessageState,
  waitForScheduledMessageSent,
} from './scheduled-messages.test-kit.js';

const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe(`Chatwoot scheduled messages (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let agent: { userId: number; token: string; name: string };
  let client: ChatwootClient;
  let other: ChatwootClient;
  let otherAccountId: number;
  let displayId: number;
  let secondDisplayId: number;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp();
    const acme = await seedAccount(app, 'Acme');
    accountId = acme.accountId;
    agent = await seedAgent(app, accountId, { name: 'Ada Agent' });
    const inboxId = await seedInbox(app, accountId, { memberIds: [agent.userId] });
    const contactId = await seedContact(app, accountId);
    client = chatwootClient(app, agent.token);
    displayId = await openConversation(client, accountId, { inbox_id: inboxId, contact_id: contactId });
    secondDisplayId = await openConversation(client, accountId, { inbox_id: inboxId, contact_id: contactId });
    base = `/api/v1/accounts/${accountId}/conversations/${displayId}/scheduled_messages`;
    const globex = await seedAccount(app, 'Globex');
    other = chatwootClient(app, globex.apiKey);
    otherAccountId = globex.accountId;
  });
  afterAll(async () => {
    await app.close();
  });

  async function schedule(body: Record<string, unknown>) {
    const response = await client.post(base, body);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Record<string, unknown> & { id: number }>();
  }

  async function outgoingMessages(content: string): Promise<{ id: number; sender_id: number | null }[]> {
    return app.parley.ctx.db
      .select({ id: messages.id, sender_id: messages.senderId })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.content, content)));
  }

  it('schedules a message with the seed fields and lists it', async () => {
    const at = inOneHour();
    const created = await schedule({ content: 'See you tomorrow', scheduled_at: at, status: 'pending' });

    expect(created).toMatchObject({
      content: 'See you tomorrow',
      conversation_id: displayId,
      account_id: accountId,
      status: 'pending',
      scheduled_at: Math.floor(Date.parse(at) / 1000),
      template_params: {},
      author_id: agent.userId,
      author_type: 'User',
      author: { id: agent.userId, name: 'Ada Agent', type: 'user' },
    });
    for (const field of ['id', 'inbox_id', 'created_at', 'updated_at'])
      expect(created[field]).toBeTypeOf('number');
    expect(Object.values(created)).not.toContain(null);
    const list = await client.get(base);
    expect(list.statusCode).toBe(200);
    expect(list.json().payload.map((item: { id: number }) => item.id)).toContain(created.id);
  });

  it('keeps a draft without a time and sends nothing for it', async () => {
    const draft = await schedule({ content: 'Not yet' });

    expect(draft.status).toBe('draft');
    expect(draft).not.toHaveProperty('scheduled_at');
    expect((await scheduledMessageState(app, accountId, draft.id))?.jobId).toBeNull();
  });

  it('refuses a past time, a date that is no date, a status clients cannot set and an empty message', async () => {
    const cases = [
      {
        body: { content: 'x', scheduled_at: '2001-01-01T00:00:00Z', status: 'pending' },
        field: 'scheduled_at',
      },
      { body: { content: 'x', scheduled_at: 'next tuesday-ish', status: 'pending' }, field: 'scheduled_at' },
      { body: { content: 'x', scheduled_at: inOneHour(), status: 'sent' }, field: 'status' },
      { body: { content: '  ', scheduled_at: inOneHour(), status: 'pending' }, field: 'content' },
      { body: { content: 'x', status: 'pending' }, field: 'scheduled_at' },
    ];
    for (const { body, field } of cases) {
      const response = await client.post(base, body);

      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().description).toBeTypeOf('string');
      expect(response.json().errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });

  it('sends a due message exactly once, as its author, even when the job runs again', async () => {
    const created = await schedule({ content: 'Exactly once', scheduled_at: inOneHour() });
    await makeScheduledMessageDue(app, accountId, created.id);

    await app.parley.worker.runOnce();
    const messageId = await waitForScheduledMessageSent(app, accountId, created.id);
    // A duplicate run (a second job for the same message, a retry after a crash) sends nothing more.
    await enqueue(app.parley.ctx.db, sendScheduledMessageJob, { accountId, scheduledMessageId: created.id });
    await app.parley.worker.runOnce();
    await app.parley.worker.runOnce();

    const sent = await outgoingMessages('Exactly once');
    expect(sent).toEqual([{ id: messageId, sender_id: agent.userId }]);
    const listed = (await client.get(base))
      .json()
      .payload.find((item: { id: number }) => item.id === created.id);
    expect(listed.status).toBe('sent');
    const thread = await client.get(`/api/v1/accounts/${accountId}/conversations/${displayId}/messages`);
    expect(
      thread.json().payload.filter((message: { content: string }) => message.content === 'Exactly once'),
    ).toHaveLength(1);
  });

  it('does nothing when a stale job runs before the time', async () => {
    const created = await schedule({ content: 'Too early', scheduled_at: inOneHour() });

    await enqueue(app.parley.ctx.db, sendScheduledMessageJob, { accountId, scheduledMessageId: created.id });
    await app.parley.worker.runOnce();

    expect((await scheduledMessageState(app, accountId, created.id))?.status).toBe('pending');
    expect(await outgoingMessages('Too early')).toEqual([]);
  });

  it('moves the send when the message is edited, and sends the edited text', async () => {
    const created = await schedule({ content: 'First draft', scheduled_at: inOneHour() });
    const before = await scheduledMessageState(app, accountId, created.id);
    const later = new Date(Date.now() + 7_200_000).toISOString();

    const edited = await client.patch(`${base}/${created.id}`, {
      content: 'Final text',
      scheduled_at: later,
    });

    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      content: 'Final text',
      scheduled_at: Math.floor(Date.parse(later) / 1000),
    });
    const after = await scheduledMessageState(app, accountId, created.id);
    expect(after?.jobId).not.toBe(before?.jobId);
    const [oldJob] = await queryRows<{ state: string }>(
      app.parley.ctx.db,
      sql`SELECT state FROM jobs WHERE id = ${before?.jobId ?? 0}`,
    );
    expect(oldJob?.state).toBe('cancelled');
    await makeScheduledMessageDue(app, accountId, created.id);
    await app.parley.worker.runOnce();
    await waitForScheduledMessageSent(app, accountId, created.id);
    expect(await outgoingMessages('First draft')).toEqual([]);
    expect(await outgoingMessages('Final text')).toHaveLength(1);
  });

  it('refuses to change or delete a sent message', async () => {
    const created = await schedule({ content: 'Sent already', scheduled_at: inOneHour() });
    await makeScheduledMessageDue(app, accountId, created.id);
    await app.parley.worker.runOnce();
    await waitForScheduledMessageSent(app, accountId, created.id);

    const edit = await client.patch(`${base}/${created.id}`, { content: 'Too late' });
    const removal = await client.delete(`${base}/${created.id}`);

    expect(edit.statusCode).toBe(422);
    expect(edit.json().errors[0]).toMatchObject({ field: 'status' });
    expect(removal.statusCode).toBe(422);
    expect(await outgoingMessages('Too late')).toEqual([]);
  });

  it('deletes a pending message, which is then never sent', async () => {
    const created = await schedule({ content: 'Never mind', scheduled_at: inOneHour() });
    const { jobId } = (await scheduledMessageState(app, accountId, created.id)) ?? {};

    const removal = await client.delete(`${base}/${created.id}`);

    expect(removal.statusCode).toBe(200);
    expect(removal.json()).toMatchObject({ id: created.id, status: 'pending', content: 'Never mind' });
    expect((await client.get(base)).json().payload.map((item: { id: number }) => item.id)).not.toContain(
      created.id,
    );
    await app.parley.ctx.db.execute(sql`UPDATE jobs SET run_at = now() WHERE id = ${jobId ?? 0}`);
    await app.parley.worker.runOnce();
    expect(await outgoingMessages('Never mind')).toEqual([]);
  });

  it('sends a message when its real time comes', async () => {
    const created = await schedule({
      content: 'On time',
      scheduled_at: new Date(Date.now() + 1_000).toISOString(),
    });

    const messageId = await waitFor(
      async () => {
        await app.parley.worker.runOnce();
        const state = await scheduledMessageState(app, accountId, created.id);
        return state?.status === 'sent' ? state.messageId : undefined;
      },
      { what: 'the scheduled message to go out', intervalMs: 100 },
    );

    expect(await outgoingMessages('On time')).toEqual([{ id: messageId, sender_id: agent.userId }]);
  });

  it('schedules a file sent as multipart, and the message carries it', async () => {
    const boundary = '----parley-scheduled';
    const at = inOneHour();
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nWith a file\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="scheduled_at"\r\n\r\n${at}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="notes.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;

    const response = await injector(app)({
      method: 'POST',
      url: `/chatwoot${base}`,
      headers: { api_access_token: agent.token, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });

    expect(response.statusCode, response.body).toBe(200);
    const created = response.json();
    expect(created.attachment).toMatchObject({
      filename: 'notes.txt',
      file_type: 'file',
      account_id: accountId,
    });
    expect(created.attachment.file_url).toBeTypeOf('string');
    await makeScheduledMessageDue(app, accountId, created.id);
    await app.parley.worker.runOnce();
    const messageId = await waitForScheduledMessageSent(app, accountId, created.id);
    const files = await queryRows<{ file_name: string }>(
      app.parley.ctx.db,
      sql`SELECT file_name FROM attachments WHERE message_id = ${messageId}`,
    );
    expect(files).toEqual([{ file_name: 'notes.txt' }]);
  });

  it("hides one account's scheduled messages from another, and from other conversations", async () => {
    const created = await schedule({ content: 'Private plans', scheduled_at: inOneHour() });
    const elsewhere = `/api/v1/accounts/${accountId}/conversations/${secondDisplayId}/scheduled_messages`;

    const throughOwnAccount = `/api/v1/accounts/${otherAccountId}/conversations/${displayId}/scheduled_messages`;
    const responses = [
      await other.get(base),
      await other.patch(`${base}/${created.id}`, { content: 'hijacked' }),
      await other.delete(`${base}/${created.id}`),
      await other.get(throughOwnAccount),
      await other.patch(`${throughOwnAccount}/${created.id}`, { content: 'hijacked' }),
      await other.delete(`${throughOwnAccount}/${created.id}`),
    ];
    const crossConversation = await client.patch(`${elsewhere}/${created.id}`, { content: 'moved' });

    for (const response of responses) expect(response.statusCode).toBe(404);
    expect(crossConversation.statusCode).toBe(404);
    expect(
      (await client.get(base)).json().payload.find((item: { id: number }) => item.id === created.id).content,
    ).toBe('Private plans');
  });

  it('answers 401 without a token', async () => {
    const response = await injector(app)({ method: 'GET', url: `/chatwoot${base}` });

    expect(response.statusCode).toBe(401);
  });
});
