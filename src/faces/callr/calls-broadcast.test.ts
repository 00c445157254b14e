import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { mediaItems } from '../../core/media/media.tables.js';
import { measureSpeechSeconds } from '../../core/telephony/speech-duration.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import type { CallrCdrOut } from './cdr.map.js';
import { createCallrTestApp, simulatorOf, type CallrTestAccount } from './callr-test-kit.js';
import { callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/** Broadcasts and click-to-call, placed on the app's carrier simulator through durable jobs. */

let app: TestApp;
let account: CallrTestAccount;
let other: CallrTestAccount;
const FROM = '2000-01-01 00:00:00';
const TO = '2100-01-01 00:00:00';

interface LegStatus {
  callid: number;
  number: string;
  status: string;
  try: number;
}

interface ClicktocallCall {
  a_status: LegStatus;
  a_targets: { number: string; timeout: number }[];
  app: { hash: string; name: string };
  b_status: LegStatus;
  b_targets: { number: string; timeout: number }[];
  cdr_field: string;
  cli: string;
  date_creation: string;
  date_scheduled: string;
  date_started: string;
  date_update: string;
  hash: string;
}

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  account = await kit.account('Broadcaster');
  other = await kit.account('Someone else');
  await app.parley.startBackground();
});
afterAll(async () => {
  await app.close();
});

const simulator = () => simulatorOf(app);

async function cdrOf(callid: number): Promise<CallrCdrOut> {
  return waitFor(
    async () => {
      const cdrs = await account.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO]);
      return cdrs.find((cdr) => cdr.callid === callid);
    },
    { timeoutMs: 20_000, what: `the CDR of call ${callid}` },
  );
}

async function readyMedia(accountId: number, durationMs: number): Promise<number> {
  const [row] = await app.parley.ctx.db
    .insert(mediaItems)
    .values({ accountId, name: 'Jingle', status: 'READY', durationMs, source: 'AUDIO' })
    .returning();
  if (!row) throw new Error('no media');
  return row.id;
}

describe('calls.broadcast_1', () => {
  it('plays the messages the given number of times once answered, then hangs up', async () => {
    simulator().forceOutcome('+33612350001', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 120 });
    const text = 'Your parcel arrives tomorrow morning.';
    const spoken = await measureSpeechSeconds(text, 'TTS_EN-GB_DANIEL');
    const jingle = await readyMedia(account.accountId, 1500);
    const callid = await account.result<number>('calls.broadcast_1', [
      { number: '+33612350001', timeout: 25 },
      [`TTS|TTS_EN-GB_DANIEL|${text}`, jingle],
      { cdr_field: 'parcel7', cli: 'BLOCKED', loop: 2 },
    ]);
    const cdr = await cdrOf(callid);
    expect(cdr).toMatchObject({
      callid,
      dialstatus: 'ANSWER',
      hangupsource: 'CALLER',
      customer_field: 'parcel7',
      package_name: 'BROADCAST',
      scenario_hash: '',
      scenario_name: '',
      cli_pres: 'prohib_passed_screen',
    });
    const expected = 2 * (spoken + 1.5);
    expect(cdr.duration_answered).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(cdr.duration_answered).toBeLessThanOrEqual(Math.ceil(expected) + 6);
  });

  it('ends with the callee when they hang up before the end, and answers to its legacy name', async () => {
    simulator().forceOutcome('+33612350002', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 1 });
    const jingle = await readyMedia(account.accountId, 60_000);
    const callid = await account.result<number>('sendr/simple.broadcast_1', [
      { number: '+33612350002', timeout: 25 },
      [String(jingle)],
      null,
    ]);
    const cdr = await cdrOf(callid);
    expect(cdr).toMatchObject({ dialstatus: 'ANSWER', hangupsource: 'CALLEE' });
    expect(cdr.duration_answered).toBeLessThan(10);
  });

  it('refuses messages that are not ready media of the account or TTS, naming the param', async () => {
    const target = { number: '+33612350009', timeout: 30 };
    expect((await account.error('calls.broadcast_1', [target, []])).message).toContain("'messages'");
    expect((await account.error('calls.broadcast_1', [target, ['hello']])).message).toContain("'messages'");
    const foreign = await readyMedia(other.accountId, 1000);
    const notOurs = await account.error('calls.broadcast_1', [target, [foreign]]);
    expect(notOurs.code).toBe(-32602);
    expect(notOurs.message).toContain('messages[0]');
    const [pending] = await app.parley.ctx.db
      .insert(mediaItems)
      .values({ accountId: account.accountId, name: 'Empty' })
      .returning();
    expect((await account.error('calls.broadcast_1', [target, [pending?.id ?? 0]])).code).toBe(-32602);
    expect(
      (await account.error('calls.broadcast_1', [target, ['TTS|en|hi'], { loop: 11 }])).message,
    ).toContain("'options'");
  });
});

describe('clicktocall/calls.*', () => {
  async function clickApp(accountId: number, name: string) {
    const [row] = await app.parley.ctx.db
      .insert(voiceApps)
      .values({ accountId, package: 'CLICKTOCALL10', name, options: {} })
      .returning();
    if (!row) throw new Error('no app');
    return encodeHash('app', row.id);
  }

  it('calls A (next target when one is busy), then B, bridges them, and hangs A up when B hangs up', async () => {
    const sim = simulator();
    sim.forceOutcome('+33612360001', { outcome: 'busy', ringSeconds: 0.5 });
    sim.forceOutcome('+33612360002', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 120 });
    sim.forceOutcome('+33612360003', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 2 });
    const appHash = await clickApp(account.accountId, 'Website button');
    const hash = await account.result<string>('clicktocall/calls.start_2', [
      appHash,
      [
        { number: '+33612360001', timeout: 20 },
        { number: '+33612360002', timeout: 20 },
      ],
      [{ number: '+33612360003', timeout: 20 }],
      { cdr_field: 'lead9' },
    ]);
    expect(hash).toMatch(/^[0-9A-F]{8}$/);
    const done = await waitFor(
      async () => {
        const [entry] = await account.result<ClicktocallCall[]>('clicktocall/calls.get_list', [
          appHash,
          FROM,
          TO,
        ]);
        return entry?.a_status.status === 'HANGUP' && entry.b_status.status === 'HANGUP' ? entry : undefined;
      },
      { timeoutMs: 20_000, what: 'the click-to-call to end' },
    );
    expect(done).toMatchObject({
      hash,
      cdr_field: 'lead9',
      cli: '',
      app: { hash: appHash, name: 'Website button' },
      a_status: { number: '+33612360002', status: 'HANGUP', try: 2 },
      b_status: { number: '+33612360003', status: 'HANGUP', try: 1 },
    });
    expect(done.date_started).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await account.result('clicktocall/calls.get_status', [hash])).toEqual(done.b_status);

    const aCdr = await cdrOf(done.a_status.callid);
    const bCdr = await cdrOf(done.b_status.callid);
    expect(aCdr).toMatchObject({
      number: '+33612360002',
      dialstatus: 'ANSWER',
      hangupsource: 'CALLER',
      customer_field: 'lead9',
    });
    // B sees A's number, and hung up first.
    expect(bCdr).toMatchObject({
      number: '+33612360003',
      dialstatus: 'ANSWER',
      hangupsource: 'CALLEE',
      cli_number: '+33612360002',
    });
    const busy = (await account.result<CallrCdrOut[]>('cdr.get', ['OUT', FROM, TO, null, '+33612360001']))[0];
    expect(busy).toMatchObject({ dialstatus: 'BUSY', scenario_hash: appHash, package_name: 'CLICKTOCALL10' });

    expect(await other.error('clicktocall/calls.get_status', [hash])).toMatchObject({ code: -32004 });
    expect(await other.error('clicktocall/calls.get_list', [appHash, FROM, TO])).toMatchObject({
      code: -32004,
    });
  });

  it('cancels a scheduled request before it starts, and a ringing one', async () => {
    const appHash = await clickApp(account.accountId, 'Callback later');
    const later = callrDateTime(new Date(Date.now() + 3_600_000));
    const scheduled = await account.result<string>('clicktocall/calls.start_2', [
      appHash,
      [{ number: '+33612360011', timeout: 20 }],
      [{ number: '+33612360012', timeout: 20 }],
      { schedule: later },
    ]);
    expect(await account.result('clicktocall/calls.cancel', [scheduled])).toBe(true);
    await waitFor(async () => {
      const status = await account.result<LegStatus>('clicktocall/calls.get_status', [scheduled]);
      return status.status === 'ABORTED';
    });
    const [listed] = await account.result<ClicktocallCall[]>('clicktocall/calls.get_list', [
      appHash,
      FROM,
      TO,
    ]);
    expect(listed).toMatchObject({ hash: scheduled, date_scheduled: later, date_started: '' });
    expect(listed?.a_status).toEqual({ callid: 0, number: '+33612360011', status: 'ABORTED', try: 0 });

    simulator().forceOutcome('+33612360021', { outcome: 'no_answer', ringSeconds: 60 });
    const ringing = await account.result<string>('clicktocall/calls.start_2', [
      appHash,
      [{ number: '+33612360021', timeout: 60 }],
      [{ number: '+33612360022', timeout: 20 }],
    ]);
    const dialing = await waitFor(async () => {
      const status = await account.result<LegStatus>('clicktocall/calls.get_status', [ringing]);
      return status.callid > 0 ? status : undefined;
    });
    expect(dialing).toMatchObject({ status: 'DIALING', try: 1 });
    // Wait for the carrier to have the call, then cancel it.
    await waitFor(() =>
      simulator()
        .allCalls()
        .some((call) => call.request.to === '+33612360021'),
    );
    await account.result('clicktocall/calls.cancel', [ringing]);
    const aborted = await waitFor(async () => {
      const status = await account.result<LegStatus>('clicktocall/calls.get_status', [ringing]);
      return status.status === 'ABORTED' ? status : undefined;
    });
    expect(aborted.callid).toBe(dialing.callid);
    expect(await cdrOf(dialing.callid)).toMatchObject({ dialstatus: 'CANCEL', answer: '' });
    expect(await other.error('clicktocall/calls.cancel', [ringing])).toMatchObject({ code: -32004 });
  });

  it('refuses an app of another package and bad targets, naming the param', async () => {
    const [rt] = await app.parley.ctx.db
      .insert(voiceApps)
      .values({
        accountId: account.accountId,
        package: 'REALTIME10',
        name: 'RT',
        options: { url: 'https://example.com' },
      })
      .returning();
    const target = [{ number: '+33612360099', timeout: 20 }];
    const wrong = await account.error('clicktocall/calls.start_2', [
      encodeHash('app', rt?.id ?? 0),
      target,
      target,
    ]);
    expect(wrong.message).toContain("'app'");
    const appHash = await clickApp(account.accountId, 'Strict');
    expect((await account.error('clicktocall/calls.start_2', [appHash, [], target])).message).toContain(
      "'a_targets'",
    );
    expect(
      (await account.error('clicktocall/calls.start_2', [appHash, target, [{ number: 'x' }]])).message,
    ).toContain("'b_targets'");
    expect(
      (await account.error('clicktocall/calls.start_2', [appHash, target, target, { schedule: 'tomorrow' }]))
        .message,
    ).toContain("'options'");
  });
});
