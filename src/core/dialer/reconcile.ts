import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { Clock } from '../telephony/clock.js';
import { closeUnconnectedAttempt, endConnectedAttempt, lockAttempt } from './attempt-lifecycle.js';
import { recordDecisions } from './dialer-decisions.js';
import { CONNECT_GRACE_MS } from './dialer-deps.js';
import { dialerAttempts } from './dialer.tables.js';

export interface ReconcileOptions {
  /** A call placed this long ago with no carrier answer or end is dead (the carrier's own timeout is ~60 s). */
  ringingBoundSeconds?: number;
  /** A connected call with no hang-up for this long is ended, so its agent can wrap up. */
  connectedBoundSeconds?: number;
  /** At most this many attempts per pass. */
  limit?: number;
  accountId?: number;
}

export const DEFAULT_RINGING_BOUND_SECONDS = 180;
export const DEFAULT_CONNECTED_BOUND_SECONDS = 4 * 3600;

/**
 * After a crash (or a carrier that lost an event) attempts stay open forever: ringing with no event,
 * answered and never served, connected with no hang-up. This closes those past a bound: unplaced or
 * ringing → failed (the contact freed, its retry per the rules), answered and never connected →
 * abandoned, connected → ended (the agent goes to wrap-up). Each closure is a `reconcile` decision.
 */
export async function reconcileAttempts(
  deps: { db: Db; clock: Clock },
  options: ReconcileOptions = {},
): Promise<{ closed: number[] }> {
  const now = deps.clock.now().getTime();
  const ringingBefore = new Date(now - 1000 * (options.ringingBoundSeconds ?? DEFAULT_RINGING_BOUND_SECONDS));
  const answeredBefore = new Date(now - CONNECT_GRACE_MS - 30_000);
  const connectedBefore = new Date(
    now - 1000 * (options.connectedBoundSeconds ?? DEFAULT_CONNECTED_BOUND_SECONDS),
  );
  const stale = await deps.db
    .select({ id: dialerAttempts.id })
    .from(dialerAttempts)
    .where(
      and(
        options.accountId === undefined ? undefined : eq(dialerAttempts.accountId, options.accountId),
        isNull(dialerAttempts.endedAt),
        or(
          and(isNull(dialerAttempts.answeredAt), lt(dialerAttempts.placedAt, ringingBefore)),
          and(isNull(dialerAttempts.connectedAt), lt(dialerAttempts.answeredAt, answeredBefore)),
          and(isNotNull(dialerAttempts.connectedAt), lt(dialerAttempts.connectedAt, connectedBefore)),
        ),
      ),
    )
    .orderBy(dialerAttempts.id)
    .limit(options.limit ?? 500);
  const closed: number[] = [];
  for (const { id } of stale) {
    const at = deps.clock.now();
    const didClose = await deps.db.transaction(async (tx) => {
      const attempt = await lockAttempt(tx, id);
      if (!attempt || attempt.endedAt !== null) return false;
      let what: string;
      if (attempt.connectedAt !== null) {
        await endConnectedAttempt(tx, attempt, at);
        what = 'connected_without_hangup';
      } else {
        const outcome = attempt.answeredAt !== null ? 'abandoned' : 'failed';
        await closeUnconnectedAttempt(tx, { attempt, outcome, at, reason: 'reconciled' });
        what = attempt.carrierCallId === null ? 'never_placed' : 'no_carrier_event';
      }
      await recordDecisions(tx, [
        {
          accountId: attempt.accountId,
          campaignId: attempt.campaignId,
          campaignContactId: attempt.campaignContactId,
          attemptId: attempt.id,
          decidedAt: at,
          kind: 'reconcile',
          reason: what,
          details: {
            placedAt: attempt.placedAt.toISOString(),
            answeredAt: attempt.answeredAt?.toISOString() ?? null,
            connectedAt: attempt.connectedAt?.toISOString() ?? null,
            carrierCallId: attempt.carrierCallId,
          },
        },
      ]);
      return true;
    });
    if (didClose) closed.push(id);
  }
  return { closed };
}
