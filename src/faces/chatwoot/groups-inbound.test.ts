import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { events } from '../../platform/events/events.tables.js';
import { conversations, messages } from '../../core/conversations/conversations.tables.js';
import { findGroupByJid } from '../../core/whatsapp/group-context.js';
import { createStandInProvider } from '../../core/whatsapp/stand-in-provider.js';
import { enqueueWhatsappEvent } from '../../core/whatsapp/whatsapp.jobs.js';
import { receiveWhatsappEvent } from '../../core/whatsapp/receive-whatsapp-event.js';
import {
  seedWhatsappInbox,
  standInGroupMessage,
  standInMemberJoins,
  standInMemberLeaves,
} from '../../core/whatsapp/stand-in.test-kit.js';
import { standInSimulator } from '../../core/whatsapp/stand-in-simulator.js';
import { chatwootCaller } from './admin-test-kit.js';

interface Member {
  id: number;
  role: string;
  contact: { id: number; name: string; phone_number?: string };
}

describe(`WhatsApp group events from the stand-in provider (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let a: { accountId: number; apiKey: string };
  let inboxId: number;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    a = await seedAccount(app, 'Acme');
    inboxId = await seedWhatsappInbox(app, a.accountId, { phoneNumber: '+5511900000000' });
  });
  afterAll(async () => {
    await app.close();
  });

  const base = () => `/api/v1/accounts/${a.accountId}`;

  async function createGroup(subject: string, participants: string[]): Promise<{ id: number; jid: string }> {
    const response = await call('POST', `${base()}/groups`, a.apiKey, {
      inbox_id: inboxId,
      subject,
      participants,
    });
    expect(response.statusCode).toBe(200);
    const jid = response.json<{ group_jid: string }>().group_jid;
    const group = await findGroupByJid(app.parley.ctx.db, a.accountId, jid);
    if (!group) throw new Error('group not recorded');
    return { id: group.id, jid };
  }

  async function members(groupId: number): Promise<Member[]> {
    const response = await call('GET', `${base()}/contacts/${groupId}/group_members?per_page=100`, a.apiKey);
    return response.json<{ payload: Member[] }>().payload;
  }

  async function displayIdOf(conversationId: number): Promise<number> {
    const [row] = await app.parley.ctx.db
      .select({ displayId: conversations.displayId })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    if (!row) throw new Error('no conversation');
    return row.displayId;
  }

  it('shows a member who joined through the stand-in in the members list', async () => {
    const group = await createGroup('Joiners', ['5511911111111']);

    const outcome = await standInMemberJoins(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511912345678', name: 'Maria' },
    );
    const listed = await members(group.id);

    expect(outcome).toEqual({ outcome: 'applied', groupContactId: group.id });
    expect(
      listed.map((member) => [member.contact.name, member.contact.phone_number, member.role]),
    ).toContainEqual(['Maria', '+5511912345678', 'member']);
    const [changed] = await app.parley.ctx.db
      .select({ payload: events.payload })
      .from(events)
      .where(
        and(
          eq(events.accountId, a.accountId),
          eq(events.aggregateId, String(group.id)),
          eq(events.type, 'whatsapp_group.members_changed'),
        ),
      )
      .orderBy(desc(events.id))
      .limit(1);
    expect(changed?.payload).toMatchObject({ groupContactId: group.id, action: 'add', origin: 'provider' });
  });

  it('turns a group message into an incoming message whose sender is the member', async () => {
    const group = await createGroup('Talk', ['5511922222222']);
    await standInMemberJoins(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511933333333', name: 'João' },
    );
    const joao = (await members(group.id)).find((member) => member.contact.name === 'João');

    const first = await standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511933333333', text: 'Olá, preciso de ajuda', messageId: 'ABC123' },
    );
    const second = await standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511922222222', text: 'Eu também' },
    );
    const redelivered = await standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511933333333', text: 'Olá, preciso de ajuda', messageId: 'ABC123' },
    );
    if (first.outcome !== 'applied' || second.outcome !== 'applied') throw new Error('not applied');
    const displayId = await displayIdOf(first.conversationId ?? 0);
    const listed = await call('GET', `${base()}/conversations/${displayId}/messages`, a.apiKey);
    const conversation = await call('GET', `${base()}/conversations/${displayId}`, a.apiKey);

    expect(second.conversationId).toBe(first.conversationId);
    expect(redelivered).toMatchObject({ outcome: 'duplicate', messageId: first.messageId });
    const payload = listed.json<{ payload: Record<string, unknown>[] }>().payload;
    expect(payload.map((message) => message.content)).toEqual(['Olá, preciso de ajuda', 'Eu também']);
    expect(payload[0]).toMatchObject({
      message_type: 0,
      sender_type: 'contact',
      sender_id: joao?.contact.id,
      sender: expect.objectContaining({ id: joao?.contact.id, name: 'João' }),
    });
    expect(conversation.json()).toMatchObject({
      inbox_id: inboxId,
      meta: { sender: expect.objectContaining({ id: group.id, name: 'Talk' }) },
    });
  });

  it('refuses a message from someone who is not in the group, at the provider', async () => {
    const group = await createGroup('Closed', ['5511944444444']);

    const attempt = standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511955555555', text: 'let me in' },
    );

    await expect(attempt).rejects.toThrow(/not a participant/);
  });

  it('marks a member who left inactive and notes it in the open conversation', async () => {
    const group = await createGroup('Leavers', ['5511966666666', '5511966666667']);
    const message = await standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511966666666', text: 'bye soon' },
    );

    await standInMemberLeaves(
      app,
      { accountId: a.accountId, groupJid: group.jid },
      { phone: '5511966666666' },
    );
    const listed = await members(group.id);

    expect(listed.map((member) => member.contact.phone_number)).not.toContain('+5511966666666');
    if (message.outcome !== 'applied') throw new Error('not applied');
    const lines = await app.parley.ctx.db
      .select({ content: messages.content, type: messages.messageType })
      .from(messages)
      .where(eq(messages.conversationId, message.conversationId ?? 0));
    expect(lines).toContainEqual({ content: '+5511966666666 left', type: 'activity' });
  });

  it('records a group it first hears of from the provider, and follows subject changes', async () => {
    const db = app.parley.ctx.db;
    const instance = { accountId: a.accountId, inboxId, ownJid: '5511900000000@s.whatsapp.net' };
    const created = await createStandInProvider(db).createGroup(instance, {
      subject: 'Made on the phone',
      participantJids: ['5511977777777@s.whatsapp.net'],
    });

    const outcome = await standInGroupMessage(
      app,
      { accountId: a.accountId, groupJid: created.jid },
      { phone: '5511977777777', text: 'hello from the phone group' },
    );
    await standInSimulator.subjectChanged(db, { accountId: a.accountId, groupJid: created.jid }, 'Renamed');
    const group = await findGroupByJid(db, a.accountId, created.jid);

    expect(outcome.outcome).toBe('applied');
    expect(group).toMatchObject({ name: 'Renamed', groupType: 'group' });
    expect((await members(group?.id ?? 0)).map((member) => member.contact.phone_number)).toEqual([
      '+5511900000000',
      '+5511977777777',
    ]);
  });

  it('ignores events for inboxes that are not WhatsApp inboxes of the account, and bad events are refused', async () => {
    const group = await createGroup('Scoped', ['5511988888888']);
    const other = await seedAccount(app, 'Globex');

    const wrongAccount = await receiveWhatsappEvent(app.parley.ctx.db, {
      accountId: other.accountId,
      inboxId,
      event: 'group-participants.update',
      data: { id: group.jid, participants: ['5511988888889@s.whatsapp.net'], action: 'add' },
    });
    const malformed = receiveWhatsappEvent(app.parley.ctx.db, {
      accountId: a.accountId,
      inboxId,
      event: 'group-participants.update',
      data: { id: group.jid, participants: [], action: 'add' },
    });

    expect(wrongAccount).toEqual({ outcome: 'ignored', reason: 'no such WhatsApp inbox' });
    await expect(malformed).rejects.toThrow();
    expect(await members(group.id)).toHaveLength(2);
  });

  it('applies provider events queued as durable jobs', async () => {
    const group = await createGroup('Queued', ['5511999999990']);
    await app.parley.startBackground();

    await enqueueWhatsappEvent(app.parley.ctx.db, {
      accountId: a.accountId,
      inboxId,
      event: 'group-participants.update',
      data: { id: group.jid, participants: ['5511999999991@s.whatsapp.net'], action: 'add' },
    });

    const joined = await waitFor(async () =>
      (await members(group.id)).find((member) => member.contact.phone_number === '+5511999999991'),
    );
    expect(joined.role).toBe('member');
  });
});
