import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { CarrierEvent } from '../telephony/call-placer.js';
import {
  closeUnconnectedAttempt,
  endConnectedAttempt,
  type UnconnectedOutcome,
} from './attempt-lifecycle.js';
import { CONNECT_GRACE_MS, reportError, type DialerDeps } from './dialer-deps.js';
import { dialerAttempts, type DialerAttemptRow } from './dialer.tables.js';
import { recordEndedCall } from './ended-call.js';
import { applyCarrierActions, connectOrAbandon, noActions, serveWaitingCall } from './waiting-calls.js';

/** Real-time delays before looking an attempt up again when its reference is not stored yet. */
const LOOKUP_RETRY_MS = [20, 100, 400];

/**
 * Applies one carrier event to the attempt it belongs to. Idempotent: an event for an attempt
 * already ended (a duplicate, or one reconciliation closed) changes nothing.
 * - answered: connected to a free agent, else waits; the grace timer abandons it after 2 s;
 * - machine: ended as `machine` (the carrier already dropped it); busy, no_answer, invalid_number,
 *   failed: ended with that outcome; the contact is freed with its next try per the campaign's rules;
 * - hangup: a connected call ended (agent to wrap-up, core call record); an answered one never
 *   connected was abandoned.
 */
export async function handleCarrierEvent(deps: DialerDeps, event: CarrierEvent): Promise<void> {
  if (event.type === 'ringing') return;
  const attemptId = await findAttemptId(deps.db, event.carrierCallId);
  if (attemptId === undefined) return;
  const actions = noActions();
  // Set inside the transaction, read after it commits.
  const result: { endedConnected?: DialerAttemptRow; isWaiting: boolean } = { isWaiting: false };
  await deps.db.transaction(async (tx) => {
    const [attempt] = await tx
      .select()
      .from(dialerAttempts)
      .where(eq(dialerAttempts.id, attemptId))
      .for('update');
    if (!attempt || attempt.endedAt !== null) return;
    const at = event.at;
    switch (event.type) {
      case 'answered': {
        if (attempt.answeredAt !== null) return;
        await connectOrAbandon(tx, attempt, at, actions);
        result.isWaiting = actions.connects.length === 0 && actions.hangUps.length === 0;
        return;
      }
      case 'hangup': {
        if (attempt.connectedAt !== null) {
          if (await endConnectedAttempt(tx, attempt, at)) {
            result.endedConnected = { ...attempt, endedAt: at };
            await deps.onCallEnded?.(tx, attempt);
          }
          return;
        }
        await closeUnconnectedAttempt(tx, {
          attempt,
          outcome: attempt.answeredAt !== null ? 'abandoned' : 'failed',
          at,
          reason: 'party_hung_up',
        });
        return;
      }
      case 'ringing':
        return;
      default: {
        const outcome: UnconnectedOutcome =
          attempt.answeredAt !== null && event.type !== 'machine' ? 'abandoned' : event.type;
        await closeUnconnectedAttempt(tx, { attempt, outcome, at, reason: `carrier_${event.type}` });
      }
    }
  });
  await applyCarrierActions(deps, actions);
  if (result.isWaiting) {
    // A virtual clock awaits the returned promise, so the bench sees the abandonment in order.
    deps.clock.setTimer(CONNECT_GRACE_MS, () =>
      serveWaitingCall(deps, attemptId).catch((error: unknown) => reportError(deps, error, 'grace timer')),
    );
  }
  if (result.endedConnected) await recordEndedCall(deps, result.endedConnected);
}

async function findAttemptId(db: Db, carrierCallId: string): Promise<number | undefined> {
  for (let round = 0; ; round += 1) {
    const [row] = await db
      .select({ id: dialerAttempts.id })
      .from(dialerAttempts)
      .where(eq(dialerAttempts.carrierCallId, carrierCallId));
    if (row) return row.id;
    const delay = LOOKUP_RETRY_MS[round];
    if (delay === undefined) return undefined;
    // The event may overtake the UPDATE storing the reference (a real carrier is that fast).
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
