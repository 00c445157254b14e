import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { simulateIncomingSms } from '../../core/sms/sms-runtime.js';
import { SMS_RECEIVED, SMS_STATUS_CHANGED } from '../../core/sms/sms.events.js';
import { subAccounts } from '../../core/sub-accounts/sub-accounts.tables.js';
import { getJob } from '../../platform/jobs/index.js';
import type { Db } from '../../platform/db/database.js';
import { createCallrTestApp, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import type { CallrSms } from './sms.map.js';
import { DATETIME, SMS_FIELDS, smsTestHelpers, waitFor } from './sms.test-kit.js';

let app: TestApp;
let inject: Inject;
let db: Db;
let alice: CallrTestAccount;
let bob: CallrTestAccount;

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  inject = kit.inject;
  db = app.parley.ctx.db;
  alice = await kit.account('Alice SMS');
  bob = await kit.account('Bob SMS');
  await app.parley.startBackground();
  await db.insert(phoneNumbers).values([
    {
      number: '+33170000001',
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId: alice.accountId,
    },
    {
      number: '+33170000002',
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId: bob.accountId,
    },
  ]);
}, 60_000);

afterAll(() => app.close());

const { settled, statusEvents, smsConversations, messagesOf } = smsTestHelpers(() => ({ inject, db }));

describe('sms.send', () => {
  let hash: string;

  it('stores the SMS, hands it to the provider and follows its receipts to RECEIVED', async () => {
    hash = await alice.result<string>('sms.send', ['', '+33612345678', 'Hello from Parley', null]);
    expect(hash).toMatch(/^[0-9A-F]{8}$/);
    const sms = await settled(alice, hash);
    expect(Object.keys(sms).sort()).toEqual(SMS_FIELDS);
    expect(sms).toMatchObject({
      hash,
      type: 'OUT',
      from: 'SMS',
      to: '+33612345678',
      text: 'Hello from Parley',
      status: 'RECEIVED',
      status_error: '',
      encoding: 'GSM',
      parts: 1,
      nature: 'ALERTING',
      options: {},
      user_data: '',
      b_customer_mode: 'PREPAID',
    });
    expect(sms.b_customer_debit).toMatch(/^\d+\.\d{2}$/);
    for (const field of ['date_creation', 'date_sent', 'date_received', 'date_update'] as const) {
      expect(sms[field]).toMatch(DATETIME);
    }
    // Each step is one sms.status_changed event with the whole snapshot.
    const emitted = await statusEvents(hash);
    expect(emitted.map((event) => event.type)).toEqual(Array(4).fill(SMS_STATUS_CHANGED));
    expect(emitted.map((event) => event.sms.status)).toEqual([
      'PENDING',
      'SENT',
      'REMOTE_QUEUED',
      'RECEIVED',
    ]);
    expect(emitted[3]?.sms).toMatchObject({ direction: 'OUT', to: '+33612345678', parts: 1 });
    expect(emitted[3]?.sms.conversationId).toEqual(expect.any(Number));
  });

  it('is an outgoing message in the recipient’s conversation of the SMS inbox (Chatwoot face)', async () => {
    const { smsInboxes, conversations } = await smsConversations(alice);
    expect(smsInboxes.map((inbox) => inbox.name)).toEqual(['SMS']);
    expect(conversations).toHaveLength(1);
    const [conversation] = conversations;
    expect(conversation?.meta.sender.phone_number).toBe('+33612345678');
    const messages = await messagesOf(alice, conversation?.id ?? 0);
    const sent = messages.filter((message) => message.message_type === 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ content: 'Hello from Parley', status: 'delivered' });
    // The Dixa face shows the same thread as an outbound SMS conversation.
    const dixa = await inject({
      method: 'GET',
      url: `/dixa/v1/conversations/${conversation?.id}`,
      headers: { authorization: alice.apiKey },
    });
    expect(dixa.statusCode, dixa.body).toBe(200);
    expect(dixa.json<{ data: unknown }>().data).toMatchObject({
      _type: 'SmsConversation',
      channel: 'Sms',
      direction: 'Outbound',
      toNumber: '+33612345678',
    });
  });

  it('keeps one conversation per recipient and honours options, encodings and parts', async () => {
    const long = `${'Ü'.repeat(152)} ok €uro`;
    const second = await alice.result<string>('sms.send', [
      'SMS',
      '+33612345678',
      long,
      { nature: 'MARKETING', user_data: 'order42', flash_message: false, force_encoding: null },
    ]);
    const unicode = await alice.result<string>('sms.send', ['ACME', '+447700900123', 'Привет 😀', null]);
    const forced = await alice.result<string>('sms.send', [
      '+33170000001',
      '+447700900123',
      'Crème brûlée',
      { force_encoding: 'GSM' },
    ]);
    expect(await alice.result<CallrSms>('sms.get', [second])).toMatchObject({
      encoding: 'GSM',
      parts: 2, // 152 + " ok " + 2 septets for € + "uro" = 161 septets
      nature: 'MARKETING',
      user_data: 'order42',
      options: { nature: 'MARKETING', user_data: 'order42', flash_message: false },
    });
    expect(await alice.result<CallrSms>('sms.get', [unicode])).toMatchObject({
      from: 'ACME',
      encoding: 'UNICODE',
      parts: 1,
      text: 'Привет 😀',
    });
    expect(await alice.result<CallrSms>('sms.get', [forced])).toMatchObject({
      from: '+33170000001',
      encoding: 'GSM',
      text: 'Crème brulée',
    });
    const { conversations } = await smsConversations(alice);
    expect(conversations.map((c) => c.meta.sender.phone_number).sort()).toEqual([
      '+33612345678',
      '+447700900123',
    ]);
  });

  it('opens one contact and one conversation when sends to a new number race', async () => {
    const hashes = await Promise.all(
      [1, 2, 3, 4].map((n) => alice.result<string>('sms.send', ['', '+33698765432', `race ${n}`, null])),
    );
    expect(new Set(hashes).size).toBe(4);
    const { conversations } = await smsConversations(alice);
    const threads = conversations.filter((c) => c.meta.sender.phone_number === '+33698765432');
    expect(threads).toHaveLength(1);
    const messages = await messagesOf(alice, threads[0]?.id ?? 0);
    expect(messages.map((m) => m.content).sort()).toEqual(['race 1', 'race 2', 'race 3', 'race 4']);
  });

  it('reports refusals and carrier failures, on the SMS and on its message', async () => {
    const refused = await alice.result<string>('sms.send', ['', '+33612340000', 'nobody there', null]);
    const failed = await alice.result<string>('sms.send', ['', '+33612340001', 'phone off', null]);
    const expired = await alice.result<string>('sms.send', ['', '+33612340002', 'too late', null]);
    expect(await settled(alice, refused)).toMatchObject({
      status: 'ERROR',
      status_error: 'Unknown destination',
      date_sent: '',
    });
    expect(await settled(alice, failed)).toMatchObject({
      status: 'FAILED',
      status_error: 'Handset unreachable',
      date_received: '',
    });
    expect(await settled(alice, expired)).toMatchObject({ status: 'EXPIRED' });
    expect((await statusEvents(refused)).map((event) => event.sms.status)).toEqual(['PENDING', 'ERROR']);
    const { conversations } = await smsConversations(alice);
    const toRefused = conversations.find((c) => c.meta.sender.phone_number === '+33612340000');
    const [message] = await messagesOf(alice, toRefused?.id ?? 0);
    expect(message).toMatchObject({
      status: 'failed',
      content_attributes: { external_error: 'Unknown destination' },
    });
  });

  it('names the bad param', async () => {
    const cases: [unknown[], RegExp][] = [
      [['', '0612345678', 'hi', null], /'to'/],
      [['', '+33612345678', '', null], /'text'/],
      [['', '+33612345678', 'hi', { colour: 'red' }], /'options'/],
      [['', '+33612345678', 'hi', { force_encoding: 'ASCII' }], /'options'.*force_encoding/],
      [['', '+33612345678', 'hi', { user_data: 'not alnum!' }], /'options'.*user_data/],
      [['+33199999999', '+33612345678', 'hi', null], /from/],
      [['+33170000002', '+33612345678', 'hi', null], /from/], // Bob's number
      [['A sender too long', '+33612345678', 'hi', null], /from/],
      [['', '+33612345678', 'x'.repeat(1531), null], /text.*too long/],
    ];
    for (const [params, message] of cases) {
      const error = await alice.error('sms.send', params);
      expect(error.code, JSON.stringify(params)).toBe(-32602);
      expect(error.message).toMatch(message);
    }
  });
});

describe('inbound SMS and replies', () => {
  it('turns an SMS to one of the account’s numbers into an incoming message and sms.received', async () => {
    await simulateIncomingSms(db, {
      from: '+33612345678',
      to: '+33170000001',
      text: 'Thanks! 👍',
      providerRef: 'mo-1',
    });
    await simulateIncomingSms(db, {
      from: '+33612345678',
      to: '+33170000001',
      text: 'Thanks! 👍',
      providerRef: 'mo-1',
    });
    const from = '2000-01-01 00:00:00';
    const to = '2100-01-01 00:00:00';
    const received = await waitFor(
      () => alice.result<CallrSms[]>('sms.get_list', ['IN', from, to]),
      (list) => list.length > 0,
    );
    expect(received).toHaveLength(1); // the redelivery of mo-1 is the same SMS
    expect(received[0]).toMatchObject({
      type: 'IN',
      status: 'RECEIVED',
      from: '+33612345678',
      to: '+33170000001',
      text: 'Thanks! 👍',
      encoding: 'UNICODE',
      parts: 1,
      b_customer_debit: '0.00',
    });
    expect(received[0]?.date_received).toMatch(DATETIME);
    const emitted = await statusEvents(received[0]?.hash ?? '');
    expect(emitted.map((event) => event.type)).toEqual([SMS_RECEIVED]);
    // Same correspondent, same conversation as what was sent to them.
    const { conversations } = await smsConversations(alice);
    const thread = conversations.filter((c) => c.meta.sender.phone_number === '+33612345678');
    expect(thread).toHaveLength(1);
    const messages = await messagesOf(alice, thread[0]?.id ?? 0);
    expect(messages.map((m) => [m.message_type, m.content])).toContainEqual([0, 'Thanks! 👍']);
    // Bob sees none of it.
    expect(await bob.result<CallrSms[]>('sms.get_list', ['IN', from, to])).toEqual([]);
  });

  it('sends an agent’s Chatwoot reply as an SMS from the number the contact wrote to', async () => {
    const { conversations } = await smsConversations(alice);
    const thread = conversations.find((c) => c.meta.sender.phone_number === '+33612345678');
    const posted = await inject({
      method: 'POST',
      url: `/chatwoot/api/v1/accounts/${alice.accountId}/conversations/${thread?.id}/messages`,
      headers: { api_access_token: alice.apiKey },
      payload: { content: 'You are welcome', message_type: 'outgoing' },
    });
    expect(posted.statusCode).toBe(200);
    const reply = await waitFor(
      async () =>
        (
          await alice.result<CallrSms[]>('sms.get_list', [
            'OUT',
            '2000-01-01 00:00:00',
            '2100-01-01 00:00:00',
          ])
        ).find((sms) => sms.text === 'You are welcome'),
      (sms) => sms?.status === 'RECEIVED',
    );
    expect(reply).toMatchObject({ from: '+33170000001', to: '+33612345678', type: 'OUT' });
    const messages = await messagesOf(alice, thread?.id ?? 0);
    const replies = messages.filter((m) => m.content === 'You are welcome');
    expect(replies).toHaveLength(1); // the reply is not duplicated by the SMS that carries it
    expect(replies[0]?.status).toBe('delivered');
  });

  it('lists by type and period, and refuses a period that ends before it starts', async () => {
    const all = await alice.result<CallrSms[]>('sms.get_list', [
      'OUT',
      '2000-01-01 00:00:00',
      '2100-01-01 00:00:00',
    ]);
    expect(all.length).toBeGreaterThanOrEqual(7);
    expect(all.every((sms) => sms.type === 'OUT')).toBe(true);
    const created = all.map((sms) => sms.date_creation);
    expect([...created].sort()).toEqual(created);
    expect(await alice.result('sms.get_list', ['OUT', '2000-01-01 00:00:00', '2000-01-02 00:00:00'])).toEqual(
      [],
    );
    expect(
      (await alice.error('sms.get_list', ['OUT', '2100-01-01 00:00:00', '2000-01-01 00:00:00'])).code,
    ).toBe(-32602);
    expect(
      (await alice.error('sms.get_list', ['BOTH', '2000-01-01 00:00:00', '2100-01-01 00:00:00'])).message,
    ).toMatch(/'type'/);
    expect((await alice.error('sms.get_list', ['OUT', 'yesterday', '2100-01-01 00:00:00'])).message).toMatch(
      /'from'/,
    );
  });
});

describe('tenancy and settings', () => {
  it("answers not-found for another account's SMS and for non-hashes", async () => {
    const hash = await alice.result<string>('sms.send', ['', '+33612345679', 'private', null]);
    expect((await bob.error('sms.get', [hash])).code).toBe(-32004);
    expect((await alice.error('sms.get', ['nothash'])).code).toBe(-32004);
    expect(await bob.result('sms.get_list', ['OUT', '2000-01-01 00:00:00', '2100-01-01 00:00:00'])).toEqual(
      [],
    );
    expect((await smsConversations(bob)).smsInboxes).toEqual([]);
  });

  it('reads and merges settings per account', async () => {
    const defaults = { push_dlr_enabled: false, push_dlr_url: '', push_mo_enabled: false, push_mo_url: '' };
    expect(await alice.result('sms.get_settings')).toEqual(defaults);
    expect(
      await alice.result('sms.set_settings', [
        { push_dlr_enabled: true, push_dlr_url: 'https://example.com/dlr' },
      ]),
    ).toEqual({ ...defaults, push_dlr_enabled: true, push_dlr_url: 'https://example.com/dlr' });
    expect(await alice.result('sms.set_settings', [{ push_mo_url: 'https://example.com/mo' }])).toEqual({
      ...defaults,
      push_dlr_enabled: true,
      push_dlr_url: 'https://example.com/dlr',
      push_mo_url: 'https://example.com/mo',
    });
    expect(await bob.result('sms.get_settings')).toEqual(defaults);
    expect(
      (await alice.error('sms.set_settings', [{ push_mo_enabled: true, push_mo_url: '' }])).message,
    ).toMatch(/push_mo_url/);
    expect((await alice.error('sms.set_settings', [{ push_url: 'x' }])).code).toBe(-32602);
    expect((await alice.error('sms.set_settings', [{ push_dlr_url: 'ftp://example.com' }])).code).toBe(
      -32602,
    );
  });

  it("honours a sub-account's allow_sms_out and allow_sms_in", async () => {
    const none = { addresses: [], emails: [] };
    await db.insert(subAccounts).values({
      accountId: bob.accountId,
      parentAccountId: alice.accountId,
      login: 'bob-sms',
      contact: { ...none, phones: [], tech_emails: [] },
      billing: none,
      allowSmsIn: false,
      allowSmsOut: false,
    });
    const refused = await bob.error('sms.send', ['', '+33612345678', 'hi', null]);
    expect(refused).toMatchObject({ code: -32003, message: expect.stringMatching(/disabled/) });
    const jobId = await simulateIncomingSms(db, { from: '+33612345678', to: '+33170000002', text: 'to bob' });
    await waitFor(
      () => getJob(db, jobId),
      (job) => job?.state === 'completed',
    );
    expect(await bob.result('sms.get_list', ['IN', '2000-01-01 00:00:00', '2100-01-01 00:00:00'])).toEqual(
      [],
    );
    expect(await bob.result('sms.get_list', ['OUT', '2000-01-01 00:00:00', '2100-01-01 00:00:00'])).toEqual(
      [],
    );
  });
});
