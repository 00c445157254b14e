import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent } from '../../platform/events/outbox.js';
import { enqueue } from '../../platform/jobs/index.js';
import type { OutboundClient } from '../../platform/outbound/guarded-fetch.js';
import { chargeCredit } from '../billing/credit.js';
import { snapshotCall } from '../calls/call-snapshot.js';
import { callCreated } from '../calls/calls.events.js';
import { calls } from '../calls/calls.tables.js';
import type { CallPlacer, CarrierEvent } from './call-placer.js';
import type { Clock } from './clock.js';
import type { InboundCallPort } from './inbound-port.js';
import type { RealtimeCodec } from './realtime-codec.js';
import { hangUpCallJob, realtimeStepJob, ringTimeoutJob, type CallRef } from './telephony.jobs.js';
import { snapshotCdr, telephonyCallEnded } from './telephony.events.js';
import {
  telephonyCalls,
  type DialStatus,
  type HangupSource,
  type TelephonyCallRow,
} from './telephony.tables.js';

/** Follows calls of some kinds as they are answered and end, inside the transaction that changed them. */
export interface CallFollower {
  answered(tx: Db, call: TelephonyCallRow): Promise<void>;
  ended(tx: Db, call: TelephonyCallRow): Promise<void>;
}

/**
 * What runs calls: the carrier ports (outbound, inbound), time, HTTP to customers' apps, the
 * click-to-call legs and the CALLTRACKING10 forwards.
 */
export interface TelephonyEngine {
  db: Db;
  placer: CallPlacer;
  inbound?: InboundCallPort;
  clock: Clock;
  /** Guarded, with REALTIME10's 5-second deadline. */
  outbound: OutboundClient;
  codec: RealtimeCodec;
  /** Click-to-call follows its legs; called inside the transaction that changed the leg. */
  legs?: CallFollower;
  /** CALLTRACKING10 follows its inbound calls and their forward legs. */
  forwarding?: CallFollower;
  onError(error: unknown, context: string): void;
}

/** How a call ended, in CDR terms; `notifyApp` sends the REALTIME10 app one last request. */
export interface CallEnding {
  dialStatus: DialStatus;
  hangupCause: number;
  hangupSource: HangupSource;
  endReason?: string;
  notifyApp: boolean;
}

// ISDN (Q.850) causes: normal clearing, user busy, no answer, unallocated number, no circuit.
const NORMAL_CLEARING = 16;

/** Carrier outcomes that end a call, as CDR values. */
const carrierEndings: Partial<Record<CarrierEvent['type'], CallEnding>> = {
  hangup: { dialStatus: 'ANSWER', hangupCause: NORMAL_CLEARING, hangupSource: 'CALLEE', notifyApp: true },
  busy: { dialStatus: 'BUSY', hangupCause: 17, hangupSource: 'CALLEE', notifyApp: true },
  no_answer: { dialStatus: 'NOANSWER', hangupCause: 19, hangupSource: 'GATEWAY', notifyApp: true },
  machine: { dialStatus: 'NOANSWER', hangupCause: 19, hangupSource: 'GATEWAY', notifyApp: true },
  invalid_number: { dialStatus: 'CHANUNAVAIL', hangupCause: 1, hangupSource: 'GATEWAY', notifyApp: true },
  failed: { dialStatus: 'CONGESTION', hangupCause: 34, hangupSource: 'GATEWAY', notifyApp: true },
};

export const appHungUp: CallEnding = {
  dialStatus: 'ANSWER',
  hangupCause: NORMAL_CLEARING,
  hangupSource: 'CALLER',
  notifyApp: false,
};

/**
 * Endings are written from Parley's side of an outbound call (CALLEE: the far party, CALLER: the
 * app). On an inbound call the far party is the caller, so the sources swap.
 */
const mirrored: Record<HangupSource, HangupSource> = {
  CALLEE: 'CALLER',
  CALLER: 'CALLEE',
  GATEWAY: 'GATEWAY',
};

/**
 * A time on the engine's clock: jobs that wait run at times of the clock the carrier runs on, so a
 * virtual clock drives a whole call (the real clock and the database's agree closely enough).
 */
export function later(engine: Pick<TelephonyEngine, 'clock'>, delayMs: number): Date {
  return new Date(engine.clock.now().getTime() + Math.max(0, delayMs));
}

async function loadCall(db: Db, ref: CallRef): Promise<TelephonyCallRow | undefined> {
  const [row] = await db
    .select()
    .from(telephonyCalls)
    .where(and(eq(telephonyCalls.accountId, ref.accountId), eq(telephonyCalls.id, ref.telephonyCallId)));
  return row;
}

function refOf(row: TelephonyCallRow): CallRef {
  return { accountId: row.accountId, telephonyCallId: row.id };
}

/** Dials a queued call. Idempotent: a call past `queued` is left alone. */
export async function placeCall(engine: TelephonyEngine, ref: CallRef): Promise<void> {
  const row = await loadCall(engine.db, ref);
  if (row?.status !== 'queued') return;
  const { carrierCallId } = await engine.placer.place({
    accountId: row.accountId,
    attemptId: row.id,
    to: row.number,
    ...(row.cli !== '' && row.cli !== 'BLOCKED' && { from: row.cli }),
    record: false,
    detectMachine: false,
  });
  await engine.db.transaction(async (tx) => {
    const updated = await tx
      .update(telephonyCalls)
      .set({ status: 'dialing', carrierCallId, startedAt: engine.clock.now(), updatedAt: sql`now()` })
      .where(and(eq(telephonyCalls.id, row.id), eq(telephonyCalls.status, 'queued')))
      .returning({ id: telephonyCalls.id });
    if (updated.length === 0) return;
    await enqueue(tx, ringTimeoutJob, ref, {
      accountId: row.accountId,
      runAt: later(engine, row.ringTimeoutSeconds * 1000),
    });
  });
}

/** What the carrier reports about one of our calls. */
export async function handleCarrierEvent(engine: TelephonyEngine, event: CarrierEvent): Promise<void> {
  if (event.type === 'ringing') return;
  const [row] = await engine.db
    .select()
    .from(telephonyCalls)
    .where(eq(telephonyCalls.carrierCallId, event.carrierCallId));
  if (!row) return;
  if (event.type === 'answered') {
    await callAnswered(engine, row, event.at);
    return;
  }
  const ending = carrierEndings[event.type];
  if (!ending) return;
  // An inbound caller who gives up before Parley picks up: cancelled, not answered.
  const cancelled = event.type === 'hangup' && row.status === 'dialing';
  await endCall(engine, refOf(row), cancelled ? { ...ending, dialStatus: 'CANCEL' } : ending, event.at);
}

async function callAnswered(engine: TelephonyEngine, row: TelephonyCallRow, at: Date): Promise<void> {
  if (row.carrierCallId === null) return;
  // The platform takes the line at once (the app, the broadcast or the bridge): the callee now
  // talks for as long as they want instead of hanging up on silence.
  try {
    await engine.placer.connect(row.carrierCallId, 0);
  } catch {
    return; // Already gone: its hangup event ends it.
  }
  await engine.db.transaction(async (tx) => {
    const [locked] = await tx
      .select()
      .from(telephonyCalls)
      .where(eq(telephonyCalls.id, row.id))
      .for('update');
    if (locked?.status !== 'dialing') return;
    const seq = locked.rtSeq + 1;
    const [up] = await tx
      .update(telephonyCalls)
      .set({ status: 'up', answeredAt: at, rtSeq: seq, updatedAt: sql`now()` })
      .where(eq(telephonyCalls.id, row.id))
      .returning();
    if (!up) return;
    const ref = refOf(up);
    if (up.kind === 'realtime' || up.kind === 'actions') {
      await enqueue(tx, realtimeStepJob, { ...ref, seq }, { accountId: up.accountId });
    } else if (up.kind === 'broadcast') {
      await enqueue(tx, hangUpCallJob, ref, {
        accountId: up.accountId,
        runAt: later(engine, Math.round(up.messagesSeconds * up.loops * 1000)),
      });
    } else if (up.kind === 'clicktocall') {
      await engine.legs?.answered(tx, up);
    } else {
      await engine.forwarding?.answered(tx, up);
    }
  });
}

/**
 * Ends a call and writes its CDR, once: charges the answered minutes, makes an answered call a
 * calls-core call, emits `telephony.call_ended`, and (REALTIME10) queues the app's last request.
 * Every REALTIME10 step queued before is now stale (the session step moves on).
 */
export async function endCall(
  engine: TelephonyEngine,
  ref: CallRef,
  ending: CallEnding,
  at: Date = engine.clock.now(),
): Promise<TelephonyCallRow | undefined> {
  return engine.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(telephonyCalls)
      .where(and(eq(telephonyCalls.accountId, ref.accountId), eq(telephonyCalls.id, ref.telephonyCallId)))
      .for('update');
    if (!row || row.status === 'ended') return undefined;
    const answeredSeconds = row.answeredAt
      ? Math.max(0, (at.getTime() - row.answeredAt.getTime()) / 1000)
      : 0;
    const billedMinutes = Math.ceil(answeredSeconds / 60);
    const { debitCents } =
      billedMinutes > 0
        ? await chargeCredit(tx, {
            accountId: row.accountId,
            kind: 'call_minute',
            quantity: billedMinutes,
            reference: `telephony_call:${row.id}`,
          })
        : { debitCents: 0 };
    const callId = row.answeredAt ? await recordAnsweredCall(tx, row, answeredSeconds) : null;
    const seq = row.rtSeq + 1;
    const [ended] = await tx
      .update(telephonyCalls)
      .set({
        status: 'ended',
        endedAt: at,
        startedAt: row.startedAt ?? at,
        dialStatus: row.answeredAt ? 'ANSWER' : ending.dialStatus,
        hangupCause: ending.hangupCause,
        hangupSource: row.direction === 'IN' ? mirrored[ending.hangupSource] : ending.hangupSource,
        endReason: ending.endReason ?? '',
        durationBilled: billedMinutes * 60,
        debitCents,
        callId,
        rtSeq: seq,
        updatedAt: sql`now()`,
      })
      .where(eq(telephonyCalls.id, row.id))
      .returning();
    if (!ended) return undefined;
    if (ended.kind === 'realtime' && ending.notifyApp) {
      await enqueue(tx, realtimeStepJob, { ...ref, seq }, { accountId: ended.accountId });
    }
    await recordEvent(tx, telephonyCallEnded, {
      accountId: ended.accountId,
      aggregateId: ended.id,
      payload: { call: snapshotCdr(ended) },
      actor: { type: 'system' },
    });
    await engine.legs?.ended(tx, ended);
    await engine.forwarding?.ended(tx, ended);
    return ended;
  });
}

/**
 * An answered call is a conversation: it joins the calls core (outbound, no recording — the
 * carrier simulator records nothing), stored as processed like the dialer's calls, so exports
 * and the native API list it.
 */
async function recordAnsweredCall(tx: Db, row: TelephonyCallRow, answeredSeconds: number): Promise<number> {
  const [call] = await tx
    .insert(calls)
    .values({
      accountId: row.accountId,
      title: `Call with ${row.number}`,
      startedAt: row.answeredAt,
      direction: row.direction === 'IN' ? 'inbound' : 'outbound',
      provider: 'manual',
      durationSeconds: Math.round(answeredSeconds),
      externalId: `telephony-${row.id}`,
      crmActivityType: 'call',
      state: 'summarized',
      recordingExtension: 'mp3',
    })
    .returning();
  if (!call) throw new Error('call insert returned no row');
  await recordEvent(tx, callCreated, {
    accountId: row.accountId,
    aggregateId: call.id,
    payload: { call: await snapshotCall(tx, call) },
    actor: { type: 'system' },
  });
  return call.id;
}

/** The ring timeout: a call still ringing is cancelled. */
export async function ringTimedOut(engine: TelephonyEngine, ref: CallRef): Promise<void> {
  const row = await loadCall(engine.db, ref);
  if (row?.status !== 'dialing') return;
  if (row.carrierCallId) await engine.placer.hangUp(row.carrierCallId);
  await endCall(engine, ref, {
    dialStatus: 'NOANSWER',
    hangupCause: 19,
    hangupSource: 'GATEWAY',
    notifyApp: true,
  });
}

/** The platform hangs up (the app said so, a broadcast is over, a click-to-call is cancelled). */
export async function hangUpCall(
  engine: TelephonyEngine,
  ref: CallRef,
  ending: CallEnding = appHungUp,
): Promise<void> {
  const row = await loadCall(engine.db, ref);
  if (!row || row.status === 'ended') return;
  if (row.carrierCallId) await engine.placer.hangUp(row.carrierCallId);
  await endCall(engine, ref, row.status === 'up' ? ending : { ...ending, dialStatus: 'CANCEL' });
}
