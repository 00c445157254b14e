import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { voiceApps, type VoiceAppRow } from '../voice-apps/voice-apps.tables.js';
import { hangUpCall, later, type TelephonyEngine } from './telephony-engine.js';
import {
  clicktocallCancelJob,
  clicktocallNextJob,
  hangUpCallJob,
  placeCallJob,
  type ClicktocallRef,
} from './telephony.jobs.js';
import {
  clicktocallCalls,
  telephonyCalls,
  type CallTarget,
  type ClicktocallCallRow,
  type LegStatus,
} from './telephony.tables.js';

/**
 * Click-to-call (CLICKTOCALL10): call A — its targets in turn, `A_attempts` rounds `A_retrypause`
 * seconds apart — and once A answers, call B's targets in turn; when B answers the two are bridged
 * until either hangs up, which hangs up the other. Each leg is a telephony call (its own CDR,
 * `callid`); the request keeps each leg's `CLICKTOCALL.Call.Status`. Every wait is a job.
 */

const appOptionsSchema = z.object({
  options: z
    .object({
      A_attempts: z.number().int().min(1).max(5).nullish(),
      A_retrypause: z.number().int().min(30).max(300).nullish(),
    })
    .nullish(),
});

function legPolicy(app: Pick<VoiceAppRow, 'options'> | null): { attempts: number; pauseSeconds: number } {
  const parsed = appOptionsSchema.safeParse(app?.options ?? {});
  const options = parsed.success ? parsed.data.options : null;
  return { attempts: options?.A_attempts ?? 1, pauseSeconds: options?.A_retrypause ?? 30 };
}

export interface StartClicktocallInput {
  accountId: number;
  app: VoiceAppRow;
  aTargets: CallTarget[];
  bTargets: CallTarget[];
  cdrField: string;
  cli: string;
  /** Null or past: now. */
  scheduledAt: Date | null;
  /** The current time (the engine's clock in tests); defaults to the real one. */
  now?: Date;
}

export async function startClicktocall(db: Db, input: StartClicktocallInput): Promise<ClicktocallCallRow> {
  if (input.app.package !== 'CLICKTOCALL10') {
    throw new DomainError('VALIDATION_FAILED', 'app must be a CLICKTOCALL10 app', [
      { path: 'app', message: 'must be a CLICKTOCALL10 app' },
    ]);
  }
  return db.transaction(async (tx) => {
    const now = input.now ?? new Date();
    const scheduledAt = input.scheduledAt && input.scheduledAt > now ? input.scheduledAt : now;
    const [row] = await tx
      .insert(clicktocallCalls)
      .values({
        accountId: input.accountId,
        voiceAppId: input.app.id,
        aTargets: input.aTargets,
        bTargets: input.bTargets,
        cdrField: input.cdrField,
        cli: input.cli,
        scheduledAt,
      })
      .returning();
    if (!row) throw new Error('click-to-call insert returned no row');
    await enqueue(
      tx,
      clicktocallNextJob,
      { accountId: row.accountId, clicktocallId: row.id },
      {
        accountId: row.accountId,
        runAt: scheduledAt,
      },
    );
    return row;
  });
}

export async function findClicktocall(
  db: Db,
  accountId: number,
  id: number,
): Promise<ClicktocallCallRow | null> {
  const [row] = await db
    .select()
    .from(clicktocallCalls)
    .where(and(eq(clicktocallCalls.accountId, accountId), eq(clicktocallCalls.id, id)));
  return row ?? null;
}

/** Asks for a cancel: the job hangs up the live legs. Not found for another account's or unknown ids. */
export async function requestClicktocallCancel(db: Db, accountId: number, id: number): Promise<void> {
  const row = await findClicktocall(db, accountId, id);
  if (!row) throw notFound('Click-to-call');
  if (row.state === 'ended' || row.state === 'cancelled') return;
  await enqueue(db, clicktocallCancelJob, { accountId, clicktocallId: id }, { accountId });
}

async function lockClicktocall(tx: Db, ref: ClicktocallRef) {
  const [row] = await tx
    .select()
    .from(clicktocallCalls)
    .where(and(eq(clicktocallCalls.accountId, ref.accountId), eq(clicktocallCalls.id, ref.clicktocallId)))
    .for('update');
  return row;
}

function targetOf(targets: CallTarget[], attempt: number): CallTarget | undefined {
  return targets.length === 0 ? undefined : targets[(attempt - 1) % targets.length];
}

/** Queues one leg's call for `attempt` and returns its status (DIALING). */
async function dialLeg(
  tx: Db,
  request: ClicktocallCallRow,
  app: Pick<VoiceAppRow, 'name' | 'package'> | null,
  leg: 'A' | 'B',
  attempt: number,
): Promise<LegStatus | null> {
  const target = targetOf(leg === 'A' ? request.aTargets : request.bTargets, attempt);
  if (!target) return null;
  const [call] = await tx
    .insert(telephonyCalls)
    .values({
      accountId: request.accountId,
      direction: 'OUT',
      kind: 'clicktocall',
      voiceAppId: request.voiceAppId,
      appName: app?.name ?? '',
      packageName: app?.package ?? 'CLICKTOCALL10',
      number: target.number,
      // B sees the A number that answered (CLICKTOCALL.Call.cli).
      cli: leg === 'A' ? request.cli : (request.aStatus?.number ?? ''),
      cdrField: request.cdrField,
      ringTimeoutSeconds: target.timeout,
      clicktocallId: request.id,
      leg,
      attempt,
    })
    .returning();
  if (!call) throw new Error('leg insert returned no row');
  await enqueue(
    tx,
    placeCallJob,
    { accountId: call.accountId, telephonyCallId: call.id },
    { accountId: call.accountId },
  );
  return { callid: call.id, number: target.number, status: 'DIALING', try: attempt };
}

async function appOf(tx: Db, request: ClicktocallCallRow) {
  if (request.voiceAppId === null) return null;
  const [app] = await tx
    .select({ name: voiceApps.name, package: voiceApps.package, options: voiceApps.options })
    .from(voiceApps)
    .where(and(eq(voiceApps.accountId, request.accountId), eq(voiceApps.id, request.voiceAppId)));
  return app ?? null;
}

/** Starts the request (A's first call) or its current leg's next attempt. */
export async function nextClicktocallLeg(engine: TelephonyEngine, ref: ClicktocallRef): Promise<void> {
  await engine.db.transaction(async (tx) => {
    const request = await lockClicktocall(tx, ref);
    if (!request) return;
    const app = await appOf(tx, request);
    const now = engine.clock.now();
    if (request.state === 'scheduled') {
      const aStatus = await dialLeg(tx, request, app, 'A', 1);
      await tx
        .update(clicktocallCalls)
        .set({ state: aStatus ? 'calling_a' : 'ended', aStatus, startedAt: now, updatedAt: sql`now()` })
        .where(eq(clicktocallCalls.id, request.id));
      return;
    }
    const leg = request.state === 'calling_a' ? 'A' : request.state === 'calling_b' ? 'B' : null;
    const current = leg === 'A' ? request.aStatus : request.bStatus;
    // Only once the current attempt has failed (its end queued this job) does the next one start.
    if (!leg || !current || current.status === 'DIALING' || current.status === 'ANSWER') return;
    const status = await dialLeg(tx, request, app, leg, current.try + 1);
    await tx
      .update(clicktocallCalls)
      .set(leg === 'A' ? { aStatus: status } : { bStatus: status })
      .where(eq(clicktocallCalls.id, request.id));
  });
}

/** How many attempts a leg gets: A goes round its targets `A_attempts` times, B once. */
function attemptsOf(request: ClicktocallCallRow, leg: 'A' | 'B', attempts: number): number {
  return leg === 'A' ? request.aTargets.length * attempts : request.bTargets.length;
}

/** The click-to-call side of a leg's events, in the transaction that changed the leg. */
export function clicktocallLegs(
  engine: Pick<TelephonyEngine, 'clock'>,
): NonNullable<TelephonyEngine['legs']> {
  return {
    async answered(tx, leg) {
      if (leg.clicktocallId === null) return;
      const request = await lockClicktocall(tx, {
        accountId: leg.accountId,
        clicktocallId: leg.clicktocallId,
      });
      if (!request) return;
      if (leg.leg === 'A' && request.state === 'calling_a' && request.aStatus?.callid === leg.id) {
        const aStatus: LegStatus = { ...request.aStatus, status: 'ANSWER' };
        const bStatus = await dialLeg(tx, { ...request, aStatus }, await appOf(tx, request), 'B', 1);
        await tx
          .update(clicktocallCalls)
          .set({ state: 'calling_b', aStatus, bStatus, updatedAt: sql`now()` })
          .where(eq(clicktocallCalls.id, request.id));
      } else if (leg.leg === 'B' && request.state === 'calling_b' && request.bStatus?.callid === leg.id) {
        await tx
          .update(clicktocallCalls)
          .set({ state: 'bridged', bStatus: { ...request.bStatus, status: 'ANSWER' }, updatedAt: sql`now()` })
          .where(eq(clicktocallCalls.id, request.id));
      } else {
        // A leg nobody waits for any more (cancelled meanwhile): hang it up.
        await enqueue(
          tx,
          hangUpCallJob,
          { accountId: leg.accountId, telephonyCallId: leg.id },
          {
            accountId: leg.accountId,
          },
        );
      }
    },
    async ended(tx, leg) {
      if (leg.clicktocallId === null || (leg.leg !== 'A' && leg.leg !== 'B')) return;
      const request = await lockClicktocall(tx, {
        accountId: leg.accountId,
        clicktocallId: leg.clicktocallId,
      });
      if (!request) return;
      const side = leg.leg;
      const status = side === 'A' ? request.aStatus : request.bStatus;
      if (status?.callid !== leg.id) return;
      const answered = leg.answeredAt !== null;
      const finished: LegStatus = {
        ...status,
        status: request.state === 'cancelled' ? 'ABORTED' : answered ? 'HANGUP' : 'NOANSWER',
      };
      const change = side === 'A' ? { aStatus: finished } : { bStatus: finished };
      const ref = { accountId: request.accountId, clicktocallId: request.id };
      const waitingFor = request.state === 'calling_a' ? 'A' : request.state === 'calling_b' ? 'B' : null;
      if (!answered && waitingFor === side) {
        const policy = legPolicy(await appOf(tx, request));
        if (status.try < attemptsOf(request, side, policy.attempts)) {
          // A new round of A's targets waits A_retrypause; the next target of a round is called at once.
          const newRound = side === 'A' && status.try % request.aTargets.length === 0;
          await tx
            .update(clicktocallCalls)
            .set({ ...change, updatedAt: sql`now()` })
            .where(eq(clicktocallCalls.id, request.id));
          await enqueue(tx, clicktocallNextJob, ref, {
            accountId: request.accountId,
            runAt: later(engine, newRound ? policy.pauseSeconds * 1000 : 0),
          });
          return;
        }
      }
      // The request is over: hang up the other leg if it is still on.
      const other = side === 'A' ? request.bStatus : request.aStatus;
      if (other && (other.status === 'DIALING' || other.status === 'ANSWER')) {
        await enqueue(
          tx,
          hangUpCallJob,
          { accountId: request.accountId, telephonyCallId: other.callid },
          {
            accountId: request.accountId,
          },
        );
      }
      await tx
        .update(clicktocallCalls)
        .set({
          ...change,
          state: request.state === 'cancelled' ? 'cancelled' : 'ended',
          updatedAt: sql`now()`,
        })
        .where(eq(clicktocallCalls.id, request.id));
    },
  };
}

/** Cancels a request: no further leg starts and the live ones are hung up. */
export async function cancelClicktocall(engine: TelephonyEngine, ref: ClicktocallRef): Promise<void> {
  const live = await engine.db.transaction(async (tx) => {
    const request = await lockClicktocall(tx, ref);
    if (!request || request.state === 'ended' || request.state === 'cancelled') return [];
    await tx
      .update(clicktocallCalls)
      .set({ state: 'cancelled', updatedAt: sql`now()` })
      .where(eq(clicktocallCalls.id, request.id));
    return [request.aStatus, request.bStatus].filter(
      (status): status is LegStatus =>
        status !== null && (status.status === 'DIALING' || status.status === 'ANSWER'),
    );
  });
  for (const status of live) {
    await hangUpCall(engine, { accountId: ref.accountId, telephonyCallId: status.callid });
  }
}
