import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gt, lte, min } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { jobs } from '../../platform/jobs/index.js';
import type { OutboundClient, OutboundRequest } from '../../platform/outbound/guarded-fetch.js';
import { accounts } from '../identity/identity.tables.js';
import { mediaItems } from '../media/media.tables.js';
import { voiceApps } from '../voice-apps/voice-apps.tables.js';
import { CarrierSimulator } from './carrier-simulator.js';
import { VirtualClock } from './clock.js';
import { cancelClicktocall, clicktocallLegs, nextClicktocallLeg, startClicktocall } from './clicktocall.js';
import { runRealtimeStep, type RealtimeRequest } from './realtime-session.js';
import { measureSpeechSeconds } from './speech-duration.js';
import { startRealtimeCall } from './start-calls.js';
import {
  handleCarrierEvent,
  hangUpCall,
  placeCall,
  ringTimedOut,
  type TelephonyEngine,
} from './telephony-engine.js';
import { snapshotCdr } from './telephony.events.js';
import type { CallRef, ClicktocallRef, RealtimeStep } from './telephony.jobs.js';
import { clicktocallCalls, telephonyCalls } from './telephony.tables.js';

/**
 * The telephony engine on a virtual clock: the carrier simulator and every job's run time follow
 * the same clock, so minutes of calls (long waits, ring timeouts, retry pauses) run in
 * milliseconds, with exact times. The jobs are run by a small loop here, in due order.
 */

type Script = (request: RealtimeRequest) => unknown;

let testDb: TestDatabase;
let db: Db;
let accountId: number;
// An hour ahead of the real clock: jobs queued for "now" by the database are due at once.
const START = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
const clock = new VirtualClock(START);
const simulator = new CarrierSimulator({ seed: 11, clock });
const requests: RealtimeRequest[] = [];
let script: Script = () => ({ command: 'hangup' });

/** The customer's app, answering in-process (the HTTP path is covered by the CALLR face's tests). */
const outbound: OutboundClient = {
  send(request: OutboundRequest) {
    const body = JSON.parse(String(request.body)) as RealtimeRequest;
    requests.push(body);
    return Promise.resolve({
      status: 200,
      headers: {},
      body: Buffer.from(JSON.stringify(script(body))),
      truncated: false,
      latencyMs: 1,
      finalUrl: request.url,
      redirects: 0,
    });
  },
  stream: () => Promise.reject(new Error('not used')),
  close: () => Promise.resolve(),
};

let engine: TelephonyEngine;

const handlers: Record<string, (payload: never) => Promise<void>> = {
  'telephony.place_call': (payload: CallRef) => placeCall(engine, payload),
  'telephony.ring_timeout': (payload: CallRef) => ringTimedOut(engine, payload),
  'telephony.realtime_step': (payload: RealtimeStep) =>
    runRealtimeStep(engine, payload, new AbortController().signal),
  'telephony.hang_up': (payload: CallRef) => hangUpCall(engine, payload),
  'telephony.clicktocall_next': (payload: ClicktocallRef) => nextClicktocallLeg(engine, payload),
  'telephony.clicktocall_cancel': (payload: ClicktocallRef) => cancelClicktocall(engine, payload),
};

/** Runs every job due on the virtual clock, oldest first (as many times as they enqueue more). */
async function runDueJobs(): Promise<void> {
  for (;;) {
    const [job] = await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.state, 'queued'), lte(jobs.runAt, clock.now())))
      .orderBy(asc(jobs.runAt), asc(jobs.id))
      .limit(1);
    if (!job) return;
    await db.update(jobs).set({ state: 'completed' }).where(eq(jobs.id, job.id));
    const handler = handlers[job.name];
    if (!handler) throw new Error(`no handler for ${job.name}`);
    await handler(job.payload as never);
  }
}

/** Moves the virtual clock forward, running carrier timers and due jobs in time order. */
async function advance(seconds: number): Promise<void> {
  const until = clock.now().getTime() + seconds * 1000;
  await runDueJobs();
  while (clock.now().getTime() < until) {
    const [nextJob] = await db
      .select({ at: min(jobs.runAt) })
      .from(jobs)
      .where(and(eq(jobs.state, 'queued'), gt(jobs.runAt, clock.now())));
    const candidates = [until, nextJob?.at?.getTime(), clock.nextTimerAt()?.getTime()].filter(
      (value): value is number => value !== undefined,
    );
    await clock.advanceAsync(Math.max(0, Math.min(...candidates) - clock.now().getTime()));
    await runDueJobs();
  }
}

async function addApp(pkg: 'REALTIME10' | 'CLICKTOCALL10', options: Record<string, unknown>) {
  const [app] = await db
    .insert(voiceApps)
    .values({ accountId, package: pkg, name: pkg, options })
    .returning();
  if (!app) throw new Error('no app');
  return app;
}

async function callRow(id: number) {
  const [row] = await db.select().from(telephonyCalls).where(eq(telephonyCalls.id, id));
  if (!row) throw new Error('no call');
  return row;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
  const [account] = await db.insert(accounts).values({ name: 'Virtual time' }).returning();
  accountId = account?.id ?? 0;
  engine = {
    db,
    placer: simulator,
    clock,
    outbound,
    codec: {
      appRef: (id) => `app-${id}`,
      requestRef: (id) => `req-${id}`,
      dateTime: (date) => date.toISOString(),
    },
    onError: (error) => {
      throw error;
    },
  };
  engine.legs = clicktocallLegs(engine);
  simulator.onEvent((event) => handleCarrierEvent(engine, event));
});
afterAll(async () => {
  await testDb.drop();
});

describe('the telephony engine on a virtual clock', () => {
  it('runs a REALTIME10 call with a five-minute wait to exact times and bills whole minutes', async () => {
    simulator.forceOutcome('+33612370001', { outcome: 'answer', ringSeconds: 10, talkSeconds: 3600 });
    const app = await addApp('REALTIME10', { url: 'https://rt.example.test/hook' });
    const text = 'Thank you for waiting.';
    const spoken = await measureSpeechSeconds(text, 'en');
    script = (request) => {
      if (request.command === '') return { command: 'wait', command_id: 1, params: { seconds: 300 } };
      if (request.command === 'wait') return { command: 'say', command_id: 2, params: { text } };
      return { command: 'hangup', command_id: 3 };
    };
    requests.length = 0;
    const started = clock.now();
    const row = await startRealtimeCall(db, {
      accountId,
      app,
      target: { number: '+33612370001', timeout: 30 },
      cdrField: 'v1',
      cli: '',
    });
    await advance(400);
    const cdr = snapshotCdr(await callRow(row.id));
    expect(cdr).toMatchObject({
      dialStatus: 'ANSWER',
      hangupSource: 'CALLER',
      startedAt: started.toISOString(),
      answeredAt: new Date(started.getTime() + 10_000).toISOString(),
      durationBilled: 360,
    });
    const expectedEnd = started.getTime() + 10_000 + 300_000 + Math.round(spoken * 1000);
    expect(Math.abs(new Date(cdr.endedAt).getTime() - expectedEnd)).toBeLessThanOrEqual(1);
    expect(requests.map((request) => [request.call_status, request.command])).toEqual([
      ['UP', ''],
      ['UP', 'wait'],
      ['UP', 'say'],
    ]);
    expect(requests[0]).toMatchObject({
      app: `app-${app.id}`,
      request_hash: `req-${row.id}`,
      cdr_field: 'v1',
    });
  });

  it("holds the line for a played media's duration, and reports a media that is not ready", async () => {
    simulator.forceOutcome('+33612370006', { outcome: 'answer', ringSeconds: 5, talkSeconds: 3600 });
    const app = await addApp('REALTIME10', { url: 'https://rt.example.test/hook' });
    const [media] = await db
      .insert(mediaItems)
      .values({ accountId, name: 'Hold music', status: 'READY', durationMs: 42_000 })
      .returning();
    const [empty] = await db.insert(mediaItems).values({ accountId, name: 'Nothing yet' }).returning();
    script = (request) => {
      if (request.command === '') return { command: 'play', command_id: 1, params: { media_id: media?.id } };
      if (request.command_id === 1)
        return { command: 'play', command_id: 2, params: { media_id: empty?.id } };
      return { command: 'hangup' };
    };
    requests.length = 0;
    const row = await startRealtimeCall(db, {
      accountId,
      app,
      target: { number: '+33612370006', timeout: 30 },
      cdrField: '',
      cli: '',
    });
    await advance(100);
    const cdr = snapshotCdr(await callRow(row.id));
    // 42 s of media, then the refused play's one-second pause before the app hangs up.
    expect(cdr.durationAnswered).toBe(43);
    expect(
      requests.map((request) => [request.command, request.command_result, request.command_error]),
    ).toEqual([
      ['', '', ''],
      ['play', 'OK', ''],
      ['play', '', 'params.media_id is not a ready media of the library'],
    ]);
  });

  it('cancels at the ring timeout to the second and tells the app NOANSWER', async () => {
    simulator.forceOutcome('+33612370002', { outcome: 'no_answer', ringSeconds: 45 });
    const app = await addApp('REALTIME10', { url: 'https://rt.example.test/hook' });
    requests.length = 0;
    const started = clock.now();
    const row = await startRealtimeCall(db, {
      accountId,
      app,
      target: { number: '+33612370002', timeout: 30 },
      cdrField: '',
      cli: '',
    });
    await advance(60);
    const cdr = snapshotCdr(await callRow(row.id));
    expect(cdr).toMatchObject({
      dialStatus: 'NOANSWER',
      hangupSource: 'GATEWAY',
      answeredAt: null,
      endedAt: new Date(started.getTime() + 30_000).toISOString(),
      duration: 30,
      durationBilled: 0,
    });
    expect(requests.map((request) => request.call_status)).toEqual(['NOANSWER']);
  });

  it('retries click-to-call party A after A_retrypause, then gives up without calling B', async () => {
    simulator.forceOutcome('+33612370003', { outcome: 'no_answer', ringSeconds: 20 });
    const app = await addApp('CLICKTOCALL10', { options: { A_attempts: 2, A_retrypause: 60 } });
    const started = clock.now();
    const request = await startClicktocall(db, {
      accountId,
      app,
      aTargets: [{ number: '+33612370003', timeout: 40 }],
      bTargets: [{ number: '+33612370004', timeout: 40 }],
      cdrField: '',
      cli: '',
      scheduledAt: null,
      now: started,
    });
    await advance(200);
    const placed = simulator
      .allCalls()
      .filter((call) => call.request.to === '+33612370003')
      .map((call) => (call.placedAt.getTime() - started.getTime()) / 1000);
    // First try at once, rings 20 s; the second 60 s later.
    expect(placed).toEqual([0, 80]);
    expect(simulator.allCalls().some((call) => call.request.to === '+33612370004')).toBe(false);
    const [final] = await db.select().from(clicktocallCalls).where(eq(clicktocallCalls.id, request.id));
    expect(final).toMatchObject({ state: 'ended', bStatus: null });
    expect(final?.aStatus).toMatchObject({ status: 'NOANSWER', try: 2, number: '+33612370003' });
  });
});
