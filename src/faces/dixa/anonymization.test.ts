import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { enqueue, jobs } from '../../platform/jobs/index.js';
import { contactInboxes, contacts } from '../../core/contacts/contacts.tables.js';
import { attachments, conversations, messages } from '../../core/conversations/conversations.tables.js';
import { callContacts, callHighlights, calls, transcriptSegments } from '../../core/calls/calls.tables.js';
import { webhookDeliveries } from '../../core/webhooks/webhooks.tables.js';
import { events } from '../../platform/events/events.tables.js';
import { anonymizeEntityJob } from '../../core/anonymization/anonymization.jobs.js';
import { chatwootSeeder } from './conversation-seeding.test-kit.js';
import { createDixaTestApp, type DixaTestOrg, type Inject } from './dixa-test-kit.js';

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

interface RequestJson {
  data: {
    id: string;
    _type: string;
    entityType: Record<string, never>;
    initiatedAt: string;
    processedAt?: string;
    requestedBy: string;
    targetEntityId: string;
  };
}

const EMAIL = 'billy.secret@example.com';
const PHONE = '+4512345678';
const SECRET_TEXT = 'My home address is 12 Elm Street';

describe(`Dixa anonymization (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let receiver: Receiver;
  let acme: DixaTestOrg;
  let globex: DixaTestOrg;
  let seed: ReturnType<typeof chatwootSeeder>;
  let emailInbox: number;
  let billy: { id: number; uuid: string };
  let billyConversation: { displayId: number; id: number; uuid: string };
  let attachmentKey: string;
  let recordingKey: string;
  let callId: number;

  const db = () => app.parley.ctx.db;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const created = await createDixaTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    app = created.app;
    inject = created.inject;
    acme = await created.organization('Acme');
    globex = await created.organization('Globex');
    await app.parley.startBackground();
    seed = chatwootSeeder(app, inject, acme);
    const hook = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/webhooks`,
      headers: { api_access_token: acme.apiKey },
      payload: { url: receiver.url('/hook'), subscriptions: ['conversation_created', 'message_created'] },
    });
    expect(hook.statusCode, hook.body).toBeLessThan(300);
    emailInbox = await seed.inbox({ type: 'email', email: 'support@acme.test' });
    billy = await seed.contact({
      name: 'Billy Secretbob',
      email: EMAIL,
      phone_number: PHONE,
      identifier: 'crm-billy-42',
      custom_attributes: { favourite: 'Elm' },
    });
    billyConversation = await seed.conversation({
      inboxId: emailInbox,
      contactId: billy.id,
      sourceId: EMAIL,
    });
    await seed.message(billyConversation.displayId, SECRET_TEXT);
    attachmentKey = await postAttachment(billyConversation.displayId);
    ({ callId, recordingKey } = await seedCall(billy.id));
    // The webhook log now holds the personal data.
    await waitFor(
      async () => (await deliveriesMentioning(EMAIL)) > 0 && (await deliveriesMentioning(SECRET_TEXT)) > 0,
      { what: 'webhook deliveries naming Billy', timeoutMs: 30_000 },
    );
    // A whole app, webhooks and a call to seed: more than the default hook budget on a busy machine.
  }, 150_000);
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  async function postAttachment(displayId: number): Promise<string> {
    const boundary = '----h8anon';
    const response = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}/conversations/${displayId}/messages`,
      headers: { api_access_token: acme.apiKey, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nMy passport scan\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="message_type"\r\n\r\nincoming\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments[]"; filename="passport.txt"\r\n` +
        `Content-Type: text/plain\r\n\r\nPASSPORT 123\r\n--${boundary}--\r\n`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const [row] = await db()
      .select({ blobKey: attachments.blobKey })
      .from(attachments)
      .where(eq(attachments.accountId, acme.accountId));
    return row!.blobKey!;
  }

  async function seedCall(contactId: number): Promise<{ callId: number; recordingKey: string }> {
    const key = `test/recordings/${randomUUID()}.mp3`;
    await app.parley.ctx.storage.put(key, Buffer.from('fake audio of Billy'));
    const [call] = await db()
      .insert(calls)
      .values({
        accountId: acme.accountId,
        title: 'Call with a customer',
        state: 'summarized',
        recordingExtension: 'mp3',
        recordingKey: key,
        summary: 'Billy Secretbob gave his address, 12 Elm Street',
      })
      .returning({ id: calls.id });
    await db().insert(callContacts).values({ accountId: acme.accountId, callId: call!.id, contactId });
    await db().insert(transcriptSegments).values({
      accountId: acme.accountId,
      callId: call!.id,
      startSeconds: 0,
      endSeconds: 2,
      text: 'I live at 12 Elm Street',
    });
    await db().insert(callHighlights).values({
      accountId: acme.accountId,
      callId: call!.id,
      startSeconds: 0,
      endSeconds: 2,
      text: '12 Elm Street',
    });
    return { callId: call!.id, recordingKey: key };
  }

  function deliveriesMentioning(text: string): Promise<number> {
    return db().$count(
      webhookDeliveries,
      and(
        eq(webhookDeliveries.accountId, acme.accountId),
        sql`strpos(${webhookDeliveries.body}, ${text}) > 0`,
      ),
    );
  }

  function eventsMentioning(text: string): Promise<number> {
    return db().$count(
      events,
      and(eq(events.accountId, acme.accountId), sql`strpos(${events.payload}::text, ${text}) > 0`),
    );
  }

  async function processed(org: DixaTestOrg, requestId: string): Promise<RequestJson['data']> {
    return waitFor(
      async () => {
        const response = await org.call('GET', `/v1/anonymization/request/${requestId}`);
        expect(response.statusCode).toBe(200);
        const data = response.json<RequestJson>().data;
        return data.processedAt ? data : undefined;
      },
      { what: 'the anonymization request to be processed', timeoutMs: 20_000 },
    );
  }

  it('refuses to anonymize an end user with open conversations unless forced', async () => {
    const response = await acme.call('PATCH', `/v1/endusers/${billy.uuid}/anonymize`);

    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ message: expect.stringMatching(/force/) });
  });

  it("answers 404 when another organization asks to anonymize Acme's end user", async () => {
    const response = await globex.call('PATCH', `/v1/endusers/${billy.uuid}/anonymize?force=true`);

    expect(response.statusCode).toBe(404);
    expect((await globex.call('PATCH', '/v1/endusers/not-a-uuid/anonymize')).statusCode).toBe(400);
  });

  it('anonymizes an end user everywhere Parley keeps their personal data', async () => {
    const response = await acme.call('PATCH', `/v1/endusers/${billy.uuid}/anonymize?force=true`);

    expect(response.statusCode).toBe(202);
    const accepted = response.json<RequestJson>().data;
    expect(accepted).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _type: 'User',
      entityType: {},
      initiatedAt: expect.any(String),
      requestedBy: expect.stringMatching(/^[0-9a-f-]{36}$/),
      targetEntityId: billy.uuid,
    });
    const done = await processed(acme, accepted.id);
    expect(Date.parse(done.processedAt!)).toBeGreaterThanOrEqual(Date.parse(done.initiatedAt));

    const [contact] = await db().select().from(contacts).where(eq(contacts.id, billy.id));
    expect(contact).toMatchObject({
      name: 'Anonymized user',
      email: null,
      phoneNumber: null,
      identifier: null,
      customAttributes: {},
      additionalEmails: [],
    });
    const sources = await db()
      .select({ sourceId: contactInboxes.sourceId })
      .from(contactInboxes)
      .where(eq(contactInboxes.contactId, billy.id));
    expect(sources.map((source) => source.sourceId)).not.toContain(EMAIL);
    const texts = await db()
      .select({ content: messages.content })
      .from(messages)
      .where(eq(messages.accountId, acme.accountId));
    expect(
      texts.filter((row) => row.content?.includes('Elm Street') || row.content?.includes('passport')),
    ).toEqual([]);
    const [conversation] = await db()
      .select()
      .from(conversations)
      .where(eq(conversations.id, billyConversation.id));
    expect(conversation?.anonymizedAt).toBeInstanceOf(Date);
    expect(conversation?.status).toBe('resolved');
    expect(await db().$count(attachments, eq(attachments.accountId, acme.accountId))).toBe(0);
    expect(await app.parley.ctx.storage.stat(attachmentKey)).toBeNull();
    const [call] = await db().select().from(calls).where(eq(calls.id, callId));
    expect(call).toMatchObject({ summary: null, recordingKey: null });
    expect(await app.parley.ctx.storage.stat(recordingKey)).toBeNull();
    expect(await db().$count(transcriptSegments, eq(transcriptSegments.callId, callId))).toBe(0);
    expect(await db().$count(callHighlights, eq(callHighlights.callId, callId))).toBe(0);
    for (const personal of [EMAIL, PHONE, 'Billy Secretbob', SECRET_TEXT]) {
      expect(await deliveriesMentioning(personal), personal).toBe(0);
      expect(await eventsMentioning(personal), personal).toBe(0);
    }
  });

  it('answers a second request with the first one, and running the job again changes nothing', async () => {
    const first = await acme.call('PATCH', `/v1/endusers/${billy.uuid}/anonymize?force=true`);
    const requestId = first.json<RequestJson>().data.id;
    const jobId = await enqueue(db(), anonymizeEntityJob, { accountId: acme.accountId, requestId });

    expect(first.statusCode).toBe(202);
    expect(first.json<RequestJson>().data.processedAt).toEqual(expect.any(String));
    const state = await waitFor(async () => {
      const [job] = await db().select({ state: jobs.state }).from(jobs).where(eq(jobs.id, jobId));
      return job?.state === 'completed' || job?.state === 'dead' ? job.state : undefined;
    });
    expect(state).toBe('completed');
    const [contact] = await db().select().from(contacts).where(eq(contacts.id, billy.id));
    expect(contact?.name).toBe('Anonymized user');
    expect((await globex.call('GET', `/v1/anonymization/request/${requestId}`)).statusCode).toBe(404);
  });

  it('anonymizes one conversation (force closes it) and one message, leaving the rest', async () => {
    const carla = await seed.contact({ name: 'Carla', email: 'carla@example.com' });
    const whole = await seed.conversation({ inboxId: emailInbox, contactId: carla.id });
    await seed.message(whole.displayId, 'Carla card number 4111');
    const partial = await seed.conversation({ inboxId: emailInbox, contactId: carla.id });
    const wiped = await seed.message(partial.displayId, 'Carla tells her birthday 1990-01-01');
    await seed.message(partial.displayId, 'Carla asks about shipping');

    const unforced = await acme.call('PATCH', `/v1/conversations/${whole.displayId}/anonymize`);
    const forced = await acme.call('PATCH', `/v1/conversations/${whole.displayId}/anonymize?force=true`);
    const single = await acme.call(
      'PATCH',
      `/v1/conversations/${partial.displayId}/messages/${wiped.uuid}/anonymize`,
    );
    const foreign = await globex.call('PATCH', `/v1/conversations/${whole.displayId}/anonymize?force=true`);
    const foreignMessage = await globex.call(
      'PATCH',
      `/v1/conversations/${partial.displayId}/messages/${wiped.uuid}/anonymize`,
    );
    const wrongConversation = await acme.call(
      'PATCH',
      `/v1/conversations/${whole.displayId}/messages/${wiped.uuid}/anonymize`,
    );

    expect(unforced.statusCode).toBe(409);
    expect(forced.statusCode).toBe(202);
    expect(forced.json<RequestJson>().data).toMatchObject({
      _type: 'Conversation',
      targetEntityId: String(whole.displayId),
    });
    expect(single.statusCode).toBe(202);
    expect(single.json<RequestJson>().data).toMatchObject({ _type: 'Message', targetEntityId: wiped.uuid });
    expect(foreign.statusCode).toBe(404);
    expect(foreignMessage.statusCode).toBe(404);
    expect(wrongConversation.statusCode).toBe(404);
    await processed(acme, forced.json<RequestJson>().data.id);
    await processed(acme, single.json<RequestJson>().data.id);
    const contents = await db()
      .select({ conversationId: messages.conversationId, content: messages.content })
      .from(messages)
      .where(and(eq(messages.accountId, acme.accountId), sql`${messages.content} LIKE 'Carla%'`));
    expect(contents).toEqual([{ conversationId: partial.id, content: 'Carla asks about shipping' }]);
    const [contact] = await db().select().from(contacts).where(eq(contacts.id, carla.id));
    // A conversation's anonymization leaves the end user as they are.
    expect(contact?.email).toBe('carla@example.com');
    const rows = await db()
      .select({ id: conversations.id, anonymizedAt: conversations.anonymizedAt })
      .from(conversations)
      .where(eq(conversations.contactId, carla.id));
    expect(rows.find((row) => row.id === whole.id)?.anonymizedAt).toBeInstanceOf(Date);
    expect(rows.find((row) => row.id === partial.id)?.anonymizedAt).toBeNull();
  });

  it('takes integer conversation ids: 400 for anything else, 404 for a number no conversation has', async () => {
    const message = randomUUID();
    for (const bad of ['abc', '1.5', '0', '-3', billyConversation.uuid]) {
      const whole = await acme.call('PATCH', `/v1/conversations/${bad}/anonymize?force=true`);
      const single = await acme.call('PATCH', `/v1/conversations/${bad}/messages/${message}/anonymize`);

      expect(whole.statusCode, bad).toBe(400);
      expect(whole.json(), bad).toEqual({ message: expect.any(String) });
      expect(single.statusCode, bad).toBe(400);
    }
    expect((await acme.call('PATCH', '/v1/conversations/987654/anonymize?force=true')).statusCode).toBe(404);
    expect(
      (await acme.call('PATCH', `/v1/conversations/${billyConversation.displayId}/messages/nope/anonymize`))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await acme.call(
          'PATCH',
          `/v1/conversations/${billyConversation.displayId}/messages/${message}/anonymize`,
        )
      ).statusCode,
    ).toBe(404);
  });

  it('answers 404 for an unknown request id and 400 for one that is not a uuid', async () => {
    expect((await acme.call('GET', `/v1/anonymization/request/${randomUUID()}`)).statusCode).toBe(404);
    expect((await acme.call('GET', '/v1/anonymization/request/nope')).statusCode).toBe(400);
  });
});
