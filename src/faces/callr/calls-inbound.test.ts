import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import type { ReceivedRequest } from '../../testing/webhook-receiver.js';
import { waitFor } from '../../testing/wait.js';
import { calls } from '../../core/calls/calls.tables.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { telephonyCalls } from '../../core/telephony/telephony.tables.js';
import type { CallrApp } from './app.map.js';
import type { CallrCdrIn, CallrCdrOut } from './cdr.map.js';
import {
  createRealtimeTestBed,
  jsonAnswer,
  simulatorOf,
  type CallrTestAccount,
  type RtRequest,
} from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';

/**
 * Inbound calls end to end: the carrier simulator rings a DID (the native injection route), Parley
 * finds the number's app and runs it — a REALTIME10 app on a real local server, a CALLTRACKING10
 * app forwarding through the carrier then taking a voicemail, an ACTIONS10 script — and every call
 * comes back through `cdr.get('IN', …)` with the seed's `CDR.In` fields.
 */

const FROM = '2000-01-01 00:00:00';
const TO = '2100-01-01 00:00:00';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const WAIT = { timeoutMs: 30_000, intervalMs: 100 };

const CDR_IN_FIELDS = [
  'answer',
  'billing_customer_cost_label',
  'billing_customer_credit_eur',
  'billing_customer_debit_eur',
  'callid',
  'cli_country_code',
  'cli_name',
  'cli_number',
  'cli_number_type',
  'cli_pres',
  'customer_field',
  'did_hash',
  'did_intl_number',
  'duration',
  'duration_answered',
  'duration_billed',
  'hangup',
  'hangupcause',
  'hangupsource',
  'package_name',
  'scenario_hash',
  'scenario_name',
  'start',
].sort();

/** The inbound REALTIME10 app: waits a little once, then hangs up. */
function behaviour(request: ReceivedRequest) {
  const rt = JSON.parse(request.body) as RtRequest;
  if (rt.call_status === 'UP' && rt.command === '') {
    return jsonAnswer({ command: 'wait', command_id: 'hold', params: { seconds: 0.3 }, variables: { n: 1 } });
  }
  return jsonAnswer({ command: 'hangup', command_id: 'bye' });
}

let bed: Awaited<ReturnType<typeof createRealtimeTestBed>>;
let app: TestApp;
let acme: CallrTestAccount;
let other: CallrTestAccount;

interface Did {
  id: number;
  hash: string;
  number: string;
}

/** A number the account holds (the store's purchase is tested elsewhere). */
async function giveNumber(accountId: number, number: string): Promise<Did> {
  const [row] = await app.parley.ctx.db
    .insert(phoneNumbers)
    .values({
      number,
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId,
      acquiredAt: new Date(),
    })
    .returning();
  if (!row) throw new Error('no number');
  return { id: row.id, hash: encodeHash('did', row.id), number };
}

async function appOn(account: CallrTestAccount, pkg: string, name: string, options: unknown, did: Did) {
  const created = await account.result<CallrApp>('apps.create', [pkg, name, options]);
  await account.result('apps.assign_did', [created.hash, did.hash]);
  return created;
}

interface InboundCall {
  carrierCallId: string;
  from: string;
  to: string;
  accepted: boolean;
  callid: number | null;
  hangupCause: number | null;
  reason: string | null;
}

async function ring(body: Record<string, unknown>): Promise<InboundCall> {
  const response = await bed.inject({
    method: 'POST',
    url: '/api/v1/telephony/inbound-calls',
    headers: bearer(TEST_PLATFORM_TOKEN),
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<InboundCall>();
}

async function cdrIn(account: CallrTestAccount, callid: number): Promise<CallrCdrIn> {
  return waitFor(
    async () => {
      const cdrs = await account.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO, null, null]);
      return cdrs.find((cdr) => cdr.callid === callid);
    },
    { ...WAIT, what: `the inbound CDR of call ${callid}` },
  );
}

beforeAll(async () => {
  bed = await createRealtimeTestBed(behaviour, { PARLEY_TELEPHONY_SIMULATOR: '{"seed":7}' });
  app = bed.app;
  acme = await bed.account('Inbound Acme');
  other = await bed.account('Inbound other');
  await app.parley.startBackground();
}, 120_000);
afterAll(() => bed.close());

describe('inbound calls', { timeout: 60_000 }, () => {
  it('runs a REALTIME10 app on its DID: the local app drives the call, cdr.get IN tells it', async () => {
    const did = await giveNumber(acme.accountId, '+33140001001');
    const rt = await appOn(acme, 'REALTIME10', 'Inbound desk', { url: bed.receiver.url('/rt/in') }, did);
    const call = await ring({ to: did.number, from: '+33612000001', talkSeconds: 60 });
    expect(call).toMatchObject({ accepted: true, from: '+33612000001', to: did.number, hangupCause: null });
    const callid = call.callid as number;

    const cdr = await cdrIn(acme, callid);
    expect(Object.keys(cdr).sort()).toEqual(CDR_IN_FIELDS);
    expect(Object.values(cdr).every((value) => value !== null)).toBe(true);
    expect(cdr).toMatchObject({
      callid,
      did_hash: did.hash,
      did_intl_number: did.number,
      cli_number: '+33612000001',
      cli_country_code: 'FR',
      cli_number_type: 'MOBILE',
      cli_pres: 'allowed_passed_screen',
      customer_field: '',
      hangupcause: 16,
      // The app (the called side) hung up.
      hangupsource: 'CALLEE',
      package_name: 'REALTIME10',
      scenario_hash: rt.hash,
      scenario_name: 'Inbound desk',
      billing_customer_credit_eur: '0.00',
      duration_billed: 60,
    });
    for (const field of ['start', 'answer', 'hangup'] as const) expect(cdr[field]).toMatch(DATETIME);
    expect(cdr.duration_answered).toBeLessThan(15);
    expect(typeof cdr.duration).toBe('number');

    const requests = bed.rtRequests('/rt/in');
    expect(requests.map((request) => [request.call_status, request.command, request.command_result])).toEqual(
      [
        ['UP', '', ''],
        ['UP', 'wait', 'OK'],
      ],
    );
    expect(requests[1]).toMatchObject({
      callid,
      app: rt.hash,
      number: did.number,
      cli_number: '+33612000001',
      variables: { n: 1 },
      date_started: cdr.start,
    });

    // An inbound conversation in the calls core, like outbound ones.
    const [core] = await app.parley.ctx.db
      .select()
      .from(calls)
      .where(and(eq(calls.accountId, acme.accountId), eq(calls.externalId, `telephony-${callid}`)));
    expect(core).toMatchObject({ direction: 'inbound', title: `Call with ${did.number}` });

    // The app and number filters find it.
    const byApp = await acme.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO, rt.hash, null]);
    expect(byApp.map((entry) => entry.callid)).toEqual([callid]);
    const byNumber = await acme.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO, null, did.number]);
    expect(byNumber.map((entry) => entry.callid)).toEqual([callid]);
  });

  it('CALLTRACKING10 forwards to a target that answers and bridges until it hangs up', async () => {
    const did = await giveNumber(acme.accountId, '+33140001002');
    simulatorOf(app).forceOutcome('+33612000102', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 1 });
    const tracking = await appOn(
      acme,
      'CALLTRACKING10',
      'Sales line',
      { targets: [{ number: '+33612000102', timeout: 10 }] },
      did,
    );
    const call = await ring({ to: did.number, from: '+33612000002', talkSeconds: 120 });
    const callid = call.callid as number;
    const cdr = await cdrIn(acme, callid);
    expect(cdr).toMatchObject({
      package_name: 'CALLTRACKING10',
      scenario_hash: tracking.hash,
      hangupsource: 'CALLEE',
      cli_number: '+33612000002',
    });
    expect(cdr.answer).toMatch(DATETIME);
    // The forward is an outbound call that continues the inbound one, presenting the caller.
    const outs = await acme.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, '+33612000102']);
    expect(outs).toHaveLength(1);
    expect(outs[0]).toMatchObject({
      callid_in: callid,
      dialstatus: 'ANSWER',
      cli_number: '+33612000002',
      package_name: 'CALLTRACKING10',
    });
  });

  it('CALLTRACKING10 takes a voicemail into a new media when no target answers', async () => {
    const did = await giveNumber(acme.accountId, '+33140001003');
    simulatorOf(app).forceOutcome('+33612000103', { outcome: 'no_answer', ringSeconds: 0.5 });
    await appOn(
      acme,
      'CALLTRACKING10',
      'After hours',
      {
        targets: [{ number: '+33612000103', timeout: 10 }],
        vms: { active: true, record: true, timeout: 60, file_name: 'vm-{CALLID}' },
      },
      did,
    );
    const call = await ring({ to: did.number, from: '+33612000003', talkSeconds: 5 });
    const callid = call.callid as number;
    const cdr = await cdrIn(acme, callid);
    // The caller hung up after leaving the message.
    expect(cdr).toMatchObject({ hangupsource: 'CALLER', hangupcause: 16, package_name: 'CALLTRACKING10' });
    const [forward] = await acme.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, '+33612000103']);
    expect(forward).toMatchObject({ callid_in: callid, dialstatus: 'NOANSWER', answer: '' });

    const mediaId = await waitFor(
      async () => {
        const [row] = await app.parley.ctx.db
          .select({ mediaId: telephonyCalls.voicemailMediaId })
          .from(telephonyCalls)
          .where(eq(telephonyCalls.id, callid));
        return row?.mediaId ?? undefined;
      },
      { ...WAIT, what: 'the voicemail media' },
    );
    const media = await waitFor(
      async () => {
        const read = await acme.result<{ name: string; status: string; duration: number }>(
          'media/library.get',
          [mediaId],
        );
        return read.status === 'READY' ? read : undefined;
      },
      { ...WAIT, what: 'the voicemail audio' },
    );
    expect(media.name).toBe(`vm-${callid}`);
    // Five seconds on the line, less the forward's ringing: a message of a few seconds.
    expect(media.duration).toBeGreaterThan(0);
    expect(media.duration).toBeLessThan(6);
    expect(await other.error('media/library.get', [mediaId])).toMatchObject({ code: -32004 });
  });

  it('runs an ACTIONS10 script, then hangs up', async () => {
    const did = await giveNumber(acme.accountId, '+33140001004');
    await appOn(
      acme,
      'ACTIONS10',
      'Scripted',
      { script: '# greet\n- wait: 0.5\n- play: 999999\n- hangup\n' },
      did,
    );
    const call = await ring({ to: did.number, from: '', talkSeconds: 60 });
    const cdr = await cdrIn(acme, call.callid as number);
    expect(cdr).toMatchObject({
      package_name: 'ACTIONS10',
      hangupsource: 'CALLEE',
      hangupcause: 16,
      cli_number: '',
      cli_country_code: '',
    });
    expect(cdr.answer).toMatch(DATETIME);
  });

  it('refuses an unknown number as unallocated, and a number without app as rejected (with its CDR)', async () => {
    const unknown = await ring({ to: '+33140009999', from: '+33612000004' });
    expect(unknown).toMatchObject({ accepted: false, callid: null, hangupCause: 1 });
    expect(unknown.reason).toEqual(expect.any(String));

    const idle = await giveNumber(acme.accountId, '+33140001005');
    const refused = await ring({ to: idle.number, from: '+33612000005' });
    expect(refused).toMatchObject({ accepted: false, hangupCause: 21 });
    const cdrs = await acme.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO, null, idle.number]);
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0]).toMatchObject({
      did_hash: idle.hash,
      cli_number: '+33612000005',
      answer: '',
      duration_answered: 0,
      duration_billed: 0,
      hangupcause: 21,
      hangupsource: 'GATEWAY',
      package_name: '',
      scenario_hash: '',
    });
    // Without a seeded caller the simulator draws one.
    const drawn = await ring({ to: '+33140009998' });
    expect(drawn.from).toMatch(/^\+336\d{8}$/);
  });

  it("keeps each account's inbound calls to itself", async () => {
    const theirs = await giveNumber(other.accountId, '+33140002001');
    await appOn(other, 'ACTIONS10', 'Theirs', { script: '- hangup' }, theirs);
    const call = await ring({ to: theirs.number, from: '+33612000006' });
    const cdr = await cdrIn(other, call.callid as number);
    expect(cdr.did_hash).toBe(theirs.hash);
    const own = await other.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO]);
    expect(own.map((entry) => entry.callid)).toEqual([call.callid]);
    const acmes = await acme.result<CallrCdrIn[]>('cdr.get', ['IN', FROM, TO]);
    expect(acmes.length).toBeGreaterThan(0);
    expect(acmes.some((entry) => entry.callid === call.callid)).toBe(false);
    expect(await acme.result('cdr.get', ['IN', FROM, TO, null, theirs.number])).toEqual([]);
    // An account may ring its own numbers only.
    const foreign = await acme.native('POST', '/telephony/inbound-calls', { to: theirs.number });
    expect(foreign.statusCode, foreign.body).toBe(404);
    const mine = await other.native('POST', '/telephony/inbound-calls', {
      to: theirs.number,
      talkSeconds: 5,
    });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json<InboundCall>()).toMatchObject({ accepted: true, to: theirs.number });
  });

  it('answers bad input to the injection route with a 4xx naming the field', async () => {
    const post = (payload: unknown, headers = bearer(TEST_PLATFORM_TOKEN)) =>
      bed.inject({
        method: 'POST',
        url: '/api/v1/telephony/inbound-calls',
        headers,
        payload: payload as string,
      });
    const badTo = await post({ to: '0612' });
    expect(badTo.statusCode).toBeGreaterThanOrEqual(400);
    expect(badTo.statusCode).toBeLessThan(500);
    expect(badTo.body).toContain('to');
    const badTalk = await post({ to: '+33140001001', talkSeconds: -3 });
    expect(badTalk.statusCode).toBeGreaterThanOrEqual(400);
    expect(badTalk.statusCode).toBeLessThan(500);
    expect(badTalk.body).toContain('talkSeconds');
    const missing = await post({});
    expect(missing.statusCode).toBeGreaterThanOrEqual(400);
    expect(missing.statusCode).toBeLessThan(500);
    const byKey = await post({ to: '+33140001001' }, { authorization: `Bearer ${acme.apiKey}` });
    expect(byKey.statusCode).toBe(403);
    expect(byKey.json<{ error: { message: string } }>().error.message).toContain('platform');
    // Documented like every native route.
    const openapi = (await bed.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(openapi.paths['/api/v1/telephony/inbound-calls'] ?? {})).toEqual(['post']);
    expect(openapi.paths['/api/v1/accounts/{accountId}/telephony/inbound-calls']?.post).toBeDefined();
  });
});
