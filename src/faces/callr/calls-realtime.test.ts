import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import type { ReceivedRequest } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { calls } from '../../core/calls/calls.tables.js';
import { events } from '../../platform/events/events.tables.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import type { CallrCdrOut } from './cdr.map.js';
import {
  createRealtimeTestBed,
  jsonAnswer as json,
  simulatorOf,
  type CallrTestAccount,
  type RtRequest,
} from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';

/**
 * REALTIME10 end to end: the CALLR method places a call on the app's carrier simulator, the
 * durable jobs POST real RT.Requests to a real local server whose RT.Responses drive the call,
 * and the CDR comes back through cdr.get.
 */

let app: TestApp;
let account: CallrTestAccount;
let other: CallrTestAccount;
let bed: Awaited<ReturnType<typeof createRealtimeTestBed>>;
const FROM = '2000-01-01 00:00:00';
const TO = '2100-01-01 00:00:00';

/** The scripted apps, by path: each answers from what the request says. */
function behaviour(request: ReceivedRequest) {
  const rt = JSON.parse(request.body) as RtRequest;
  if (request.path === '/rt/script') {
    if (rt.call_status !== 'UP') return json({ command: '' });
    if (rt.command === '') {
      return json({
        command: 'say',
        command_id: 1,
        params: { text: 'Hello, this is Parley.' },
        variables: { step: 1 },
      });
    }
    if (rt.command === 'say')
      return json({ command: 'wait', command_id: 'two', params: { seconds: 0.5 }, variables: { step: 2 } });
    if (rt.command === 'wait') return json({ command: 'bogus', command_id: 3 });
    return json({ command: 'hangup', command_id: 4 });
  }
  if (request.path === '/rt/hold') return json({ command: 'wait', command_id: 7, params: { seconds: 0.3 } });
  if (request.path === '/rt/broken') return { status: 500, body: 'oops' };
  return json({ command: 'hangup' });
}

async function addApp(
  accountId: number,
  name: string,
  options: Record<string, unknown>,
  pkg: 'REALTIME10' | 'CLICKTOCALL10' = 'REALTIME10',
) {
  const [row] = await app.parley.ctx.db
    .insert(voiceApps)
    .values({ accountId, package: pkg, name, options })
    .returning();
  if (!row) throw new Error('no app');
  return { id: row.id, hash: encodeHash('app', row.id) };
}

const received = (path: string): RtRequest[] => bed.rtRequests(path);

async function cdrOf(acc: CallrTestAccount, callid: number): Promise<CallrCdrOut> {
  return waitFor(
    async () => {
      const cdrs = await acc.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, null]);
      return cdrs.find((cdr) => cdr.callid === callid);
    },
    { timeoutMs: 20_000, what: `the CDR of call ${callid}` },
  );
}

beforeAll(async () => {
  bed = await createRealtimeTestBed(behaviour);
  app = bed.app;
  account = await bed.account('Realtime');
  other = await bed.account('Someone else');
  await app.parley.startBackground();
});
afterAll(() => bed.close());

const simulator = () => simulatorOf(app);

describe('calls.realtime', () => {
  it('drives an answered call with the RT.Response commands, then writes its CDR', async () => {
    simulator().forceOutcome('+33612340001', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 120 });
    const rt = await addApp(account.accountId, 'Scripted', {
      url: bed.receiver.url('/rt/script'),
      login: 'rt-user',
      password: 'rt-secret',
      data_format: 'JSON',
    });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340001', timeout: 20 },
      { cdr_field: 'order42', cli: 'BLOCKED' },
    ]);
    expect(callid).toEqual(expect.any(Number));

    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({
      callid,
      callid_in: 0,
      dialstatus: 'ANSWER',
      hangupsource: 'CALLER',
      hangupcause: 16,
      customer_field: 'order42',
      number: '+33612340001',
      number_country_code: 'FR',
      number_type: 'MOBILE',
      cli_number: '',
      cli_pres: 'prohib_passed_screen',
      scenario_hash: rt.hash,
      scenario_name: 'Scripted',
      package_name: 'REALTIME10',
      billing_customer_credit_eur: '0.00',
    });
    expect(cdr.start).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(cdr.answer).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // The greeting (really synthesised, about 1.5 s), a 0.5 s wait and an unknown command's 1 s retry.
    expect(cdr.duration_answered).toBeGreaterThanOrEqual(2);
    expect(cdr.duration_answered).toBeLessThan(15);
    expect(cdr.duration_billed).toBe(60);
    expect(cdr.duration).toBeGreaterThanOrEqual(cdr.duration_answered);

    const requests = received('/rt/script');
    expect(
      requests.map((request) => [
        request.command,
        request.command_id,
        request.command_result,
        request.command_error,
      ]),
    ).toEqual([
      ['', 0, '', ''],
      ['say', 1, 'OK', ''],
      ['wait', 'two', 'OK', ''],
      ['bogus', 3, '', "Unknown command 'bogus'"],
    ]);
    for (const request of requests) {
      expect(request).toMatchObject({
        app: rt.hash,
        call_status: 'UP',
        callid,
        cdr_field: 'order42',
        number: '+33612340001',
        request_hash: encodeHash('call', callid),
      });
      expect(request.date_started).toBe(cdr.start);
    }
    // Variables come back untouched until the app changes them.
    expect(requests.map((request) => request.variables)).toEqual([{}, { step: 1 }, { step: 2 }, { step: 2 }]);
    const first = bed.receiver.received.find((entry) => entry.path === '/rt/script');
    expect(first?.headers.authorization).toBe(`Basic ${Buffer.from('rt-user:rt-secret').toString('base64')}`);
    expect(first?.headers['content-type']).toBe('application/json');

    // The answered call joined the calls core, and the end was announced.
    const [core] = await app.parley.ctx.db
      .select()
      .from(calls)
      .where(and(eq(calls.accountId, account.accountId), eq(calls.externalId, `telephony-${callid}`)));
    expect(core).toMatchObject({ direction: 'outbound', title: 'Call with +33612340001' });
    expect(core?.durationSeconds).toBe(cdr.duration_answered);
    const ended = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'telephony.call_ended'), eq(events.aggregateId, String(callid))));
    expect(ended).toHaveLength(1);
    expect(ended[0]?.payload).toMatchObject({ call: { callid, dialStatus: 'ANSWER', callId: core?.id } });
  });

  it('sends one last HANGUP request when the callee hangs up', async () => {
    simulator().forceOutcome('+33612340002', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 1.5 });
    const rt = await addApp(account.accountId, 'Holder', { url: bed.receiver.url('/rt/hold') });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340002', timeout: 20 },
    ]);
    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({
      dialstatus: 'ANSWER',
      hangupsource: 'CALLEE',
      customer_field: '',
      cli_pres: 'allowed_passed_screen',
    });
    const requests = await waitFor(
      () => {
        const all = received('/rt/hold');
        return all.at(-1)?.call_status === 'HANGUP' ? all : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(requests.length).toBeGreaterThanOrEqual(2);
    // UP exchanges, then the last notice (a retried delivery may repeat it; nothing follows it).
    const hangupAt = requests.findIndex((request) => request.call_status === 'HANGUP');
    expect(hangupAt).toBeGreaterThanOrEqual(1);
    expect(requests.slice(0, hangupAt).every((request) => request.call_status === 'UP')).toBe(true);
    expect(requests.slice(hangupAt).every((request) => request.call_status === 'HANGUP')).toBe(true);
    expect(requests.at(-1)).toMatchObject({ callid, command: 'wait', command_result: 'OK' });
  });

  it('reports a busy callee to the app and in the CDR, without answering', async () => {
    simulator().forceOutcome('+33612340003', { outcome: 'busy', ringSeconds: 0.5 });
    const rt = await addApp(account.accountId, 'Busy', { url: bed.receiver.url('/rt/busy') });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340003', timeout: 20 },
    ]);
    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({
      dialstatus: 'BUSY',
      hangupcause: 17,
      answer: '',
      duration_answered: 0,
      duration_billed: 0,
    });
    const requests = await waitFor(() => {
      const all = received('/rt/busy');
      return all.length > 0 ? all : undefined;
    });
    expect(requests.map((request) => request.call_status)).toEqual(['BUSY']);
  });

  it('hangs up when the app does not answer properly', async () => {
    simulator().forceOutcome('+33612340004', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 120 });
    const rt = await addApp(account.accountId, 'Broken', { url: bed.receiver.url('/rt/broken') });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340004', timeout: 20 },
    ]);
    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({ dialstatus: 'ANSWER', hangupsource: 'GATEWAY' });
    expect(received('/rt/broken')).toHaveLength(1);
  });

  it('cancels a call still ringing at the target timeout (NOANSWER)', async () => {
    simulator().forceOutcome('+33612340005', { outcome: 'no_answer', ringSeconds: 60 });
    const rt = await addApp(account.accountId, 'Unanswered', { url: bed.receiver.url('/rt/none') });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340005', timeout: 5 },
    ]);
    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({ dialstatus: 'NOANSWER', hangupsource: 'GATEWAY', answer: '' });
    expect(cdr.duration).toBeGreaterThanOrEqual(5);
    const requests = await waitFor(() => {
      const all = received('/rt/none');
      return all.length > 0 ? all : undefined;
    });
    expect(requests.map((request) => request.call_status)).toEqual(['NOANSWER']);
  });

  it("refuses bad params naming them, and other accounts' apps as not found", async () => {
    const rt = await addApp(account.accountId, 'Valid', { url: bed.receiver.url('/rt/none') });
    const click = await addApp(account.accountId, 'Click', {}, 'CLICKTOCALL10');
    const target = { number: '+33612340009', timeout: 30 };
    expect(await other.error('calls.realtime', [rt.hash, target])).toMatchObject({ code: -32004 });
    expect(await account.error('calls.realtime', ['NOTAHASH', target])).toMatchObject({ code: -32004 });
    const wrongPackage = await account.error('calls.realtime', [click.hash, target]);
    expect(wrongPackage.code).toBe(-32602);
    expect(wrongPackage.message).toContain("'app'");
    const badNumber = await account.error('calls.realtime', [rt.hash, { number: '0612', timeout: 30 }]);
    expect(badNumber.code).toBe(-32602);
    expect(badNumber.message).toContain("'target'");
    expect((await account.error('calls.realtime', [rt.hash, { ...target, timeout: 2 }])).message).toContain(
      'timeout',
    );
    const badField = await account.error('calls.realtime', [rt.hash, target, { cdr_field: 'not alnum!' }]);
    expect(badField.message).toContain("'options'");
    const foreignCli = await account.error('calls.realtime', [rt.hash, target, { cli: '+33100000000' }]);
    expect(foreignCli).toMatchObject({ code: -32602 });
    expect(foreignCli.message).toContain('cli');
  });
});

describe('cdr.get', () => {
  it("filters by type, time range, app and number, and only shows the account's own CDRs", async () => {
    simulator().forceOutcome('+33612340010', { outcome: 'invalid_number', ringSeconds: 0.5 });
    const rt = await addApp(account.accountId, 'Filtered', { url: bed.receiver.url('/rt/none') });
    const callid = await account.result<number>('calls.realtime', [
      rt.hash,
      { number: '+33612340010', timeout: 20 },
    ]);
    const cdr = await cdrOf(account, callid);
    expect(cdr).toMatchObject({ dialstatus: 'CHANUNAVAIL', hangupcause: 1 });

    const byApp = await account.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, rt.hash, null]);
    expect(byApp.map((row) => row.callid)).toEqual([callid]);
    const byNumber = await account.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, '+33612340010']);
    expect(byNumber.map((row) => row.callid)).toEqual([callid]);
    expect(await account.result('cdr.get', ['OUT', '2000-01-01 00:00:00', '2000-01-02 00:00:00'])).toEqual(
      [],
    );
    expect(await account.result('cdr.get', ['IN', FROM, TO])).toEqual([]);
    expect(await other.result('cdr.get', ['OUT', FROM, TO])).toEqual([]);
    expect(await other.error('cdr.get', ['OUT', FROM, TO, rt.hash])).toMatchObject({ code: -32004 });
    const badType = await account.error('cdr.get', ['SIDEWAYS', FROM, TO]);
    expect(badType.message).toContain("'type'");
    const badDate = await account.error('cdr.get', ['OUT', '01/02/2024', TO]);
    expect(badDate.message).toContain("'from'");
    // Every CDR field of the seed, with its type.
    const all = await account.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO]);
    expect(all.length).toBeGreaterThan(1);
    for (const row of all) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'answer',
          'billing_customer_cost_label',
          'billing_customer_credit_eur',
          'billing_customer_debit_eur',
          'callid',
          'callid_in',
          'cli_name',
          'cli_number',
          'cli_pres',
          'customer_field',
          'dialstatus',
          'duration',
          'duration_answered',
          'duration_billed',
          'hangup',
          'hangupcause',
          'hangupsource',
          'number',
          'number_country_code',
          'number_type',
          'package_name',
          'scenario_hash',
          'scenario_name',
          'start',
        ].sort(),
      );
      expect(Object.values(row).every((value) => value !== null)).toBe(true);
      expect(row.billing_customer_debit_eur).toMatch(/^\d+\.\d{2}$/);
    }
  });
});
