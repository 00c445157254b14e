import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { events } from '../../platform/events/events.tables.js';
import { jobs } from '../../platform/jobs/index.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import {
  seedWhatsappInbox,
  standInGroupMessage,
  standInMemberJoins,
  standInMemberLeaves,
  standInSentMessages,
} from '../../core/whatsapp/stand-in.test-kit.js';
import { chatwootCaller } from './admin-test-kit.js';

interface ChatwootMessage {
  id: number;
  content: string;
  status: string;
  source_id?: string;
  private: boolean;
  content_attributes: Record<string, unknown>;
}

/**
 * Issue 12: an agent's reply in a WhatsApp conversation goes out through the inbox's provider (here
 * the stand-in), to the group's JID or the person's, and the message then shows the provider's id.
 */
describe(`WhatsApp replies through the provider (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let b: { accountId: number; apiKey: string };
  let inboxA: number;
  let inboxB: number;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    b = await seedAccount(app, 'Globex');
    // The same number in both accounts: only the inbox decides whose instance sends.
    inboxA = await seedWhatsappInbox(app, a.accountId, { phoneNumber: '+5511900000000' });
    inboxB = await seedWhatsappInbox(app, b.accountId, { phoneNumber: '+5511900000000' });
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  const api = (account: { accountId: number }, path: string) =>
    `/api/v1/accounts/${account.accountId}${path}`;

  /** A group created through the API, in which a member wrote: its JID and conversation display id. */
  async function groupConversation(
    account: { accountId: number; apiKey: string },
    inboxId: number,
    subject: string,
  ): Promise<{ groupJid: string; displayId: number }> {
    const created = await call('POST', api(account, '/groups'), account.apiKey, {
      inbox_id: inboxId,
      subject,
      participants: ['5511911110000'],
    });
    expect(created.statusCode).toBe(200);
    const groupJid = created.json<{ group_jid: string }>().group_jid;
    const group = { accountId: account.accountId, groupJid };
    await standInMemberJoins(app, group, { phone: '+5511922220000', name: 'Maria' });
    const arrived = await standInGroupMessage(app, group, { phone: '+5511922220000', text: 'Hello?' });
    if (arrived.outcome !== 'applied' || arrived.conversationId === undefined) {
      throw new Error(`group message not applied: ${JSON.stringify(arrived)}`);
    }
    const [row] = await app.parley.ctx.db
      .select({ displayId: conversations.displayId })
      .from(conversations)
      .where(eq(conversations.id, arrived.conversationId));
    if (!row) throw new Error('no conversation');
    return { groupJid, displayId: row.displayId };
  }

  async function reply(
    account: { accountId: number; apiKey: string },
    displayId: number,
    body: { content: string; private?: boolean },
  ): Promise<number> {
    const response = await call(
      'POST',
      api(account, `/conversations/${displayId}/messages`),
      account.apiKey,
      body,
    );
    expect(response.statusCode).toBe(200);
    return response.json<{ id: number }>().id;
  }

  async function messageOf(
    account: { accountId: number; apiKey: string },
    displayId: number,
    id: number,
  ): Promise<ChatwootMessage> {
    const response = await call('GET', api(account, `/conversations/${displayId}/messages`), account.apiKey);
    const found = response.json<{ payload: ChatwootMessage[] }>().payload.find((m) => m.id === id);
    if (!found) throw new Error(`message ${id} not listed`);
    return found;
  }

  /** Waits until the reply's send job has settled it: a source id (sent) or failed. */
  function settled(account: { accountId: number; apiKey: string }, displayId: number, id: number) {
    return waitFor(
      async () => {
        const message = await messageOf(account, displayId, id);
        return message.source_id !== undefined || message.status === 'failed' ? message : undefined;
      },
      { what: `message ${id} to be sent or failed`, timeoutMs: 20_000 },
    );
  }

  async function sendJobsFor(messageId: number) {
    return app.parley.ctx.db
      .select({ state: jobs.state })
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'whatsapp.send_message'),
          sql`${jobs.payload}->>'messageId' = ${String(messageId)}`,
        ),
      );
  }

  it('sends a group reply to the group JID once, then shows its source id; a redelivery sends nothing', async () => {
    const { groupJid, displayId } = await groupConversation(a, inboxA, 'Premium customers');

    const id = await reply(a, displayId, { content: 'We are on it' });
    const message = await settled(a, displayId, id);

    const sent = await standInSentMessages(app, {
      accountId: a.accountId,
      inboxId: inboxA,
      remoteJid: groupJid,
    });
    expect(sent.map((row) => ({ text: row.text, sendCount: row.sendCount }))).toEqual([
      { text: 'We are on it', sendCount: 1 },
    ]);
    expect(message.status).toBe('sent');
    expect(message.source_id).toBe(`whatsapp:${sent[0]?.id}`);

    // The relay delivers message.created again (at-least-once): a second job runs and sends nothing.
    await app.parley.ctx.db
      .update(events)
      .set({ dispatchedAt: null })
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.type, 'message.created'),
          eq(events.aggregateId, String(id)),
        ),
      );
    await waitFor(
      async () => {
        const states = (await sendJobsFor(id)).map((row) => row.state);
        return states.length === 2 && states.every((state) => state === 'completed');
      },
      { what: 'the redelivered reply to be handled', timeoutMs: 20_000 },
    );
    const after = await standInSentMessages(app, { accountId: a.accountId, inboxId: inboxA });
    expect(after.filter((row) => row.remoteJid === groupJid).map((row) => row.sendCount)).toEqual([1]);
    expect((await messageOf(a, displayId, id)).source_id).toBe(message.source_id);
  });

  it('does not send a private note', async () => {
    const { groupJid, displayId } = await groupConversation(a, inboxA, 'Notes');

    const note = await reply(a, displayId, { content: 'Internal: check the refund', private: true });
    // A public reply written after the note: once it is sent, the note has been seen and skipped.
    const publicId = await reply(a, displayId, { content: 'Checking now' });
    await settled(a, displayId, publicId);

    const sent = await standInSentMessages(app, { accountId: a.accountId, remoteJid: groupJid });
    expect(sent.map((row) => row.text)).toEqual(['Checking now']);
    const stored = await messageOf(a, displayId, note);
    expect(stored.private).toBe(true);
    expect(stored.source_id).toBeUndefined();
    expect(await sendJobsFor(note)).toEqual([]);
  });

  it('marks the reply failed with the provider error when the number is no longer in the group', async () => {
    const { groupJid, displayId } = await groupConversation(a, inboxA, 'Removed');
    // Another admin removes the inbox's number from the group on WhatsApp.
    await standInMemberLeaves(app, { accountId: a.accountId, groupJid }, { phone: '+5511900000000' });

    const id = await reply(a, displayId, { content: 'Anyone there?' });
    const message = await settled(a, displayId, id);

    expect(message.status).toBe('failed');
    expect(message.source_id).toBeUndefined();
    expect(message.content_attributes.external_error).toBe(
      `5511900000000@s.whatsapp.net is not a participant of ${groupJid}`,
    );
    expect(await standInSentMessages(app, { accountId: a.accountId, remoteJid: groupJid })).toEqual([]);
  });

  it('sends a direct reply to the contact’s JID', async () => {
    const contact = await call('POST', api(a, '/contacts'), a.apiKey, {
      name: 'João',
      phone_number: '+5511933330000',
    });
    expect(contact.statusCode).toBe(200);
    const contactId = contact.json<{ id: number }>().id;
    const opened = await call('POST', api(a, '/conversations'), a.apiKey, {
      inbox_id: inboxA,
      contact_id: contactId,
      source_id: '5511933330000',
    });
    expect(opened.statusCode).toBe(200);
    const displayId = opened.json<{ id: number }>().id;

    const id = await reply(a, displayId, { content: 'Olá João' });
    const message = await settled(a, displayId, id);

    const sent = await standInSentMessages(app, {
      accountId: a.accountId,
      remoteJid: '5511933330000@s.whatsapp.net',
    });
    expect(sent.map((row) => row.text)).toEqual(['Olá João']);
    expect(message.status).toBe('sent');
    expect(message.source_id).toBe(`whatsapp:${sent[0]?.id}`);
  });

  it("never sends another account's reply through this account's instance", async () => {
    const before = await standInSentMessages(app, { accountId: a.accountId });
    const { groupJid, displayId } = await groupConversation(b, inboxB, 'Globex group');

    const id = await reply(b, displayId, { content: 'Globex here' });
    const message = await settled(b, displayId, id);

    expect(message.status).toBe('sent');
    const sentByB = await standInSentMessages(app, { accountId: b.accountId });
    expect(
      sentByB.map((row) => ({ inboxId: row.inboxId, remoteJid: row.remoteJid, text: row.text })),
    ).toEqual([{ inboxId: inboxB, remoteJid: groupJid, text: 'Globex here' }]);
    const after = await standInSentMessages(app, { accountId: a.accountId });
    expect(after).toEqual(before);
    expect(after.map((row) => row.text)).not.toContain('Globex here');
  });
});
