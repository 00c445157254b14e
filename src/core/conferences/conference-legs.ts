import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { enqueue } from '../../platform/jobs/index.js';
import { chargeCredit } from '../billing/credit.js';
import type { CallPlacer, CarrierEvent } from '../telephony/call-placer.js';
import type { Clock } from '../telephony/clock.js';
import { later } from '../telephony/telephony-engine.js';
import { participantRingTimeoutJob, type ParticipantRef } from './conferences.jobs.js';
import {
  conferenceParticipants,
  type ConferenceParticipantRow,
  type ParticipantDialStatus,
} from './conferences.tables.js';

/**
 * Conference legs over the carrier port: dialled by a job, joined to the room when answered, out
 * of it at hangup. The legs are the conference core's own calls (the telephony engine ignores
 * carrier ids it did not place), so the room knows who is in it without asking another module.
 */
export interface ConferenceCallEngine {
  db: Db;
  placer: CallPlacer;
  clock: Clock;
}

/** How long a leg may ring before it is cancelled (CALLR's default `Target.timeout`). */
export const RING_TIMEOUT_SECONDS = 30;

/** Carrier outcomes that end a leg before it joined, as CDR dial statuses. */
const unansweredOutcomes: Partial<Record<CarrierEvent['type'], ParticipantDialStatus>> = {
  busy: 'BUSY',
  no_answer: 'NOANSWER',
  machine: 'NOANSWER',
  invalid_number: 'CHANUNAVAIL',
  failed: 'CONGESTION',
};

async function loadLeg(db: Db, ref: ParticipantRef): Promise<ConferenceParticipantRow | undefined> {
  const [row] = await db
    .select()
    .from(conferenceParticipants)
    .where(
      and(
        eq(conferenceParticipants.accountId, ref.accountId),
        eq(conferenceParticipants.id, ref.participantId),
      ),
    );
  return row;
}

/** Dials a leg that is waiting for it. Idempotent: a leg already dialled or over is left alone. */
export async function dialParticipant(engine: ConferenceCallEngine, ref: ParticipantRef): Promise<void> {
  const leg = await loadLeg(engine.db, ref);
  if (leg?.status !== 'calling' || leg.carrierCallId !== null) return;
  const { carrierCallId } = await engine.placer.place({
    accountId: leg.accountId,
    attemptId: leg.id,
    to: leg.number,
    ...(leg.cli !== '' && leg.cli !== 'BLOCKED' && { from: leg.cli }),
    record: false,
    detectMachine: false,
  });
  await engine.db.transaction(async (tx) => {
    const dialled = await tx
      .update(conferenceParticipants)
      .set({ carrierCallId, dialedAt: engine.clock.now(), updatedAt: sql`now()` })
      .where(and(eq(conferenceParticipants.id, leg.id), isNull(conferenceParticipants.carrierCallId)))
      .returning({ id: conferenceParticipants.id });
    if (dialled.length === 0) return;
    await enqueue(tx, participantRingTimeoutJob, ref, {
      accountId: leg.accountId,
      runAt: later(engine, RING_TIMEOUT_SECONDS * 1000),
    });
  });
}

/** The leg's row, locked, when it is still live; undefined once it is over. */
async function lockLiveLeg(tx: Db, id: number): Promise<ConferenceParticipantRow | undefined> {
  const [row] = await tx
    .select()
    .from(conferenceParticipants)
    .where(eq(conferenceParticipants.id, id))
    .for('update');
  return row?.status === 'calling' || row?.status === 'joined' ? row : undefined;
}

/**
 * Ends a leg once: `left` if it was in the room, `failed` otherwise. Answered minutes are charged
 * as call minutes in the same transaction.
 */
async function endLeg(
  engine: ConferenceCallEngine,
  legId: number,
  dialStatus: ParticipantDialStatus,
  at: Date,
): Promise<void> {
  await engine.db.transaction(async (tx) => {
    const leg = await lockLiveLeg(tx, legId);
    if (!leg) return;
    const answeredSeconds = leg.answeredAt
      ? Math.max(0, (at.getTime() - leg.answeredAt.getTime()) / 1000)
      : 0;
    await chargeCredit(tx, {
      accountId: leg.accountId,
      kind: 'call_minute',
      quantity: Math.ceil(answeredSeconds / 60),
      reference: `conference_participant:${leg.id}`,
    });
    await tx
      .update(conferenceParticipants)
      .set({
        status: leg.status === 'joined' ? 'left' : 'failed',
        dialStatus: leg.answeredAt ? 'ANSWER' : dialStatus,
        ...(leg.status === 'joined' && { leftAt: at }),
        updatedAt: sql`now()`,
      })
      .where(eq(conferenceParticipants.id, leg.id));
  });
}

/** The callee picked up: the platform takes the line and the leg is in the room. */
async function legAnswered(
  engine: ConferenceCallEngine,
  leg: ConferenceParticipantRow,
  at: Date,
): Promise<void> {
  if (leg.carrierCallId === null) return;
  try {
    await engine.placer.connect(leg.carrierCallId, 0);
  } catch {
    return; // Already gone: its hangup event ends it.
  }
  await engine.db.transaction(async (tx) => {
    const live = await lockLiveLeg(tx, leg.id);
    if (live?.status !== 'calling') return;
    await tx
      .update(conferenceParticipants)
      .set({ status: 'joined', answeredAt: at, joinedAt: at, updatedAt: sql`now()` })
      .where(eq(conferenceParticipants.id, leg.id));
  });
}

/** What the carrier reports about a leg; events for other modules' calls are not ours. */
export async function handleLegEvent(engine: ConferenceCallEngine, event: CarrierEvent): Promise<void> {
  if (event.type === 'ringing') return;
  const [leg] = await engine.db
    .select()
    .from(conferenceParticipants)
    .where(eq(conferenceParticipants.carrierCallId, event.carrierCallId));
  if (!leg) return;
  if (event.type === 'answered') {
    await legAnswered(engine, leg, event.at);
    return;
  }
  const dialStatus = event.type === 'hangup' ? 'ANSWER' : unansweredOutcomes[event.type];
  if (dialStatus) await endLeg(engine, leg.id, dialStatus, event.at);
}

/** The ring timeout: a leg still ringing is cancelled. */
export async function legRingTimedOut(engine: ConferenceCallEngine, ref: ParticipantRef): Promise<void> {
  const leg = await loadLeg(engine.db, ref);
  if (leg?.status !== 'calling' || leg.answeredAt !== null) return;
  if (leg.carrierCallId) await engine.placer.hangUp(leg.carrierCallId);
  await endLeg(engine, leg.id, 'NOANSWER', engine.clock.now());
}
