import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { speechToolsAvailable } from '../../testing/speech.js';
import { waitFor } from '../../testing/wait.js';
import type { ReceivedRequest } from '../../testing/webhook-receiver.js';
import type { CallrApp } from './app.map.js';
import type { CallrCdrOut } from './cdr.map.js';
import {
  createRealtimeTestBed,
  jsonAnswer as json,
  simulatorOf,
  type CallrTestAccount,
  type Inject,
  type RtRequest,
} from './callr-test-kit.js';
import type { CallrSms } from './sms.map.js';

/**
 * One CALLR customer's story over HTTP, every part real: the account buys a number in the store,
 * points a REALTIME10 app at its own server (a real HTTP server on loopback) and routes the number
 * to it, places a call the server drives (say, then hang up), reads the call's CDR, subscribes
 * signed webhooks with each HMAC algorithm, sends an SMS from its number, checks every push's
 * signature, and finds the SMS as a conversation through the Chatwoot face.
 */

const tools = speechToolsAvailable(['espeak-ng']);
if (!tools.available) console.warn(`CALLR end-to-end story skipped: ${tools.reason}`);

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const HASH = /^[0-9A-F]{8}$/;
const FROM = '2000-01-01 00:00:00';
const TO = '2100-01-01 00:00:00';
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

const CALLEE = '+33698765400';
const SMS_TO = '+33698765401';
const GREETING = 'Hello, this is Acme calling about your order.';
const HMAC_ALGOS = [
  ['MD5', 'md5'],
  ['SHA1', 'sha1'],
  ['SHA256', 'sha256'],
  ['SHA512', 'sha512'],
] as const;

interface PushedEvent {
  type: string;
  data: CallrSms;
  event_id: string;
  event_at: string;
  hook_hash: string;
  try: number;
}
interface StoreItem {
  hash: string;
  intl_number: string;
  local_number: string;
}
interface ChatwootConversation {
  id: number;
  inbox_id: number;
  meta: { sender: { phone_number: string | null } };
}
interface ChatwootMessage {
  content: string;
  message_type: number;
  status: string;
}

/** The customer's server: its REALTIME10 app says the greeting then hangs up; webhooks get 200. */
function customerServer(request: ReceivedRequest) {
  if (request.path !== '/rt') return { status: 200, body: 'ok' };
  const rt = JSON.parse(request.body) as RtRequest;
  if (rt.call_status === 'UP' && rt.command === '') {
    return json({
      command: 'say',
      command_id: 'greet',
      params: { text: GREETING },
      variables: { order: 'A42' },
    });
  }
  return json({ command: 'hangup', command_id: 'bye', params: {} });
}

describe.skipIf(!tools.available)(`CALLR end to end (${backendName})`, { timeout: 120_000 }, () => {
  let app: TestApp;
  let inject: Inject;
  let acme: CallrTestAccount;
  let bed: Awaited<ReturnType<typeof createRealtimeTestBed>>;

  // What each step leaves for the next.
  let did: StoreItem;
  let rtApp: CallrApp;
  let callid: number;

  beforeAll(async () => {
    bed = await createRealtimeTestBed(customerServer);
    app = bed.app;
    inject = bed.inject;
    acme = await bed.account('Acme story');
    await app.parley.startBackground();
    // The operator stocks the store (the platform's own API).
    const imported = await inject({
      method: 'POST',
      url: '/api/v1/numbers/import',
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: {
        rows: ['+33140000011', '+33140000012', '+33140000013'].map((number) => ({
          number,
          countryCode: 'FR',
          type: 'GEOGRAPHIC',
          localPrefix: '01',
          areaLabel: 'Paris',
          monthlyCents: 100,
        })),
      },
    });
    expect(imported.statusCode, imported.body).toBe(200);
  }, 120_000);
  afterAll(() => bed.close());

  const rtRequests = (): RtRequest[] => bed.rtRequests('/rt');

  function chatwoot(path: string) {
    return inject({
      method: 'GET',
      url: `/chatwoot/api/v1/accounts/${acme.accountId}${path}`,
      headers: { api_access_token: acme.apiKey },
    });
  }

  it('buys a number in the store (reserve, then buy_order)', async () => {
    const [paris] = await acme.result<{ id: number; local_prefix: string }[]>('did/areacode.get_list', [
      'FR',
      'GEOGRAPHIC',
    ]);
    expect(paris?.local_prefix).toBe('01');
    const reservation = await acme.result<{ token: string; items: StoreItem[] }>('did/store.reserve', [
      paris?.id,
      'CLASSIC',
      1,
      'SEQUENTIAL',
    ]);
    expect(reservation.items).toHaveLength(1);
    const bought = await acme.result<{ success: StoreItem[]; errors: unknown[] }>('did/store.buy_order', [
      reservation.token,
    ]);
    expect(bought.errors).toEqual([]);
    expect(bought.success).toEqual(reservation.items);
    [did] = bought.success as [StoreItem];
    expect(did).toEqual({
      hash: expect.stringMatching(HASH),
      intl_number: '+33140000011',
      local_number: '0140000011',
    });
  });

  it('creates a REALTIME10 app on its own server and routes the number to it', async () => {
    rtApp = await acme.result<CallrApp>('apps.create', [
      'REALTIME10',
      'Order follow-up',
      { url: bed.receiver.url('/rt'), data_format: 'JSON' },
    ]);
    expect(rtApp.hash).toMatch(HASH);
    expect(rtApp.p).toMatchObject({ url: bed.receiver.url('/rt'), data_format: 'JSON' });
    const assigned = await acme.result<CallrApp>('apps.assign_did', [rtApp.hash, did.hash]);
    expect(assigned.did.map((entry) => [entry.hash, entry.intl_number, entry.app])).toEqual([
      [did.hash, did.intl_number, rtApp.hash],
    ]);
    const read = await acme.result<CallrApp>('apps.get', [rtApp.hash]);
    expect(read.did.map((entry) => entry.hash)).toEqual([did.hash]);
  });

  it('places calls.realtime: the app says its greeting, hangs up, and the CDR tells the call', async () => {
    simulatorOf(app).forceOutcome(CALLEE, { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 120 });
    callid = await acme.result<number>('calls.realtime', [
      rtApp.hash,
      { number: CALLEE, timeout: 20 },
      { cdr_field: 'orderA42', cli: did.intl_number },
    ]);
    expect(Number.isInteger(callid)).toBe(true);

    const cdr = await waitFor(
      async () => {
        const cdrs = await acme.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, null]);
        return cdrs.find((entry) => entry.callid === callid);
      },
      { ...WAIT, what: `the CDR of call ${callid}` },
    );
    expect(cdr).toMatchObject({
      callid,
      callid_in: 0,
      number: CALLEE,
      number_country_code: 'FR',
      cli_number: did.intl_number,
      cli_pres: 'allowed_passed_screen',
      customer_field: 'orderA42',
      dialstatus: 'ANSWER',
      hangupsource: 'CALLER',
      scenario_hash: rtApp.hash,
      scenario_name: 'Order follow-up',
      package_name: 'REALTIME10',
    });
    for (const field of ['start', 'answer', 'hangup'] as const) expect(cdr[field]).toMatch(DATETIME);
    // "YYYY-MM-DD HH:MM:SS" sorts as it reads.
    expect(cdr.start <= cdr.answer && cdr.answer <= cdr.hangup).toBe(true);
    expect(cdr.duration).toBeGreaterThan(0);
    expect(cdr.duration_answered).toBeGreaterThan(0);
    expect(cdr.duration).toBeGreaterThanOrEqual(cdr.duration_answered);
    expect(cdr.duration_billed).toBeGreaterThanOrEqual(cdr.duration_answered);
    // The app's filters find it too.
    const byApp = await acme.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, rtApp.hash, null]);
    expect(byApp.map((entry) => entry.callid)).toEqual([callid]);

    // The server saw the call come up, then the greeting's result; it hung up after that.
    const requests = rtRequests();
    expect(requests.map((request) => [request.call_status, request.command, request.command_result])).toEqual(
      [
        ['UP', '', ''],
        ['UP', 'say', 'OK'],
      ],
    );
    for (const request of requests) {
      expect(request).toMatchObject({
        app: rtApp.hash,
        callid,
        cdr_field: 'orderA42',
        number: CALLEE,
        date_started: cdr.start,
      });
    }
    expect(requests[1]).toMatchObject({
      command_id: 'greet',
      command_error: '',
      variables: { order: 'A42' },
    });
  });

  it('signs sms.mt.status_update pushes with each HMAC algorithm and shows the SMS in Chatwoot', async () => {
    const hooks: { algo: string; nodeAlgo: string; secret: string; path: string; hash: string }[] = [];
    for (const [algo, nodeAlgo] of HMAC_ALGOS) {
      const secret = `acme-${algo.toLowerCase()}-secret`;
      const path = `/hooks/${algo}`;
      const webhook = await acme.result<{ hash: string; type: string; status: string; endpoint: string }>(
        'webhooks.subscribe',
        ['sms.mt.status_update', bed.receiver.url(path), { hmac_algo: algo, hmac_secret: secret }],
      );
      expect(webhook).toMatchObject({
        type: 'sms.mt.status_update',
        status: 'ENABLED',
        endpoint: bed.receiver.url(path),
        hash: expect.stringMatching(HASH),
      });
      hooks.push({ algo, nodeAlgo, secret, path, hash: webhook.hash });
    }

    const text = 'Your order A42 ships today.';
    const smsHash = await acme.result<string>('sms.send', [did.intl_number, SMS_TO, text, null]);
    expect(smsHash).toMatch(HASH);

    for (const hook of hooks) {
      const pushes = await waitFor(
        () => {
          const all = bed.receiver.received.filter((entry) => entry.path === hook.path);
          const parsed = all.map((request) => ({ request, body: JSON.parse(request.body) as PushedEvent }));
          return parsed.some(({ body }) => body.data.status === 'RECEIVED') ? parsed : undefined;
        },
        { ...WAIT, what: `the delivery report pushed to ${hook.path}` },
      );
      for (const { request, body } of pushes) {
        const expected = createHmac(hook.nodeAlgo, hook.secret).update(request.body, 'utf8').digest('base64');
        expect(request.headers['x-callr-hmacsignature'], `${hook.algo} signature`).toBe(expected);
        const forged = createHmac(hook.nodeAlgo, 'not-the-secret')
          .update(request.body, 'utf8')
          .digest('base64');
        expect(request.headers['x-callr-hmacsignature']).not.toBe(forged);
        expect(request.headers['x-callr-eventid']).toBe(body.event_id);
        expect(body).toMatchObject({
          type: 'sms.mt.status_update',
          hook_hash: hook.hash,
          try: 0,
          data: { hash: smsHash, type: 'OUT', from: did.intl_number, to: SMS_TO, text },
        });
        expect(body.event_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }
      // Each status change once (a retried delivery would repeat one, never invent one).
      const statuses = [...new Set(pushes.map(({ body }) => body.data.status))];
      expect(statuses).toEqual(expect.arrayContaining(['RECEIVED']));
      expect(
        statuses.every((status) => ['PENDING', 'SENT', 'REMOTE_QUEUED', 'RECEIVED'].includes(status)),
      ).toBe(true);
    }
    const sms = await acme.result<CallrSms>('sms.get', [smsHash]);
    expect(sms).toMatchObject({ hash: smsHash, status: 'RECEIVED', from: did.intl_number, to: SMS_TO, text });

    // The same SMS is an outgoing message in a conversation with the recipient (Chatwoot face).
    const conversation = await waitFor(
      async () => {
        const listed = await chatwoot('/conversations?status=all');
        expect(listed.statusCode, listed.body).toBe(200);
        const all = listed.json<{ data: { payload: ChatwootConversation[] } }>().data.payload;
        return all.find((entry) => entry.meta.sender.phone_number === SMS_TO);
      },
      { ...WAIT, what: 'the SMS conversation in Chatwoot' },
    );
    const inboxes = await chatwoot('/inboxes');
    const inbox = inboxes
      .json<{ payload: { id: number; channel_type: string }[] }>()
      .payload.find((entry) => entry.id === conversation.inbox_id);
    expect(inbox?.channel_type).toBe('Channel::Sms');
    const messages = await chatwoot(`/conversations/${conversation.id}/messages`);
    expect(messages.statusCode, messages.body).toBe(200);
    const outgoing = messages
      .json<{ payload: ChatwootMessage[] }>()
      .payload.filter((message) => message.message_type === 1);
    expect(outgoing).toEqual([expect.objectContaining({ content: text, status: 'delivered' })]);
  });
});
