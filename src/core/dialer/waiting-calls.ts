import { and, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import {
  claimAgentFor,
  closeUnconnectedAttempt,
  lockAttempt,
  markConnected,
  undoConnection,
} from './attempt-lifecycle.js';
import { recordDecisions } from './dialer-decisions.js';
import { CONNECT_GRACE_MS, reportError, type DialerDeps } from './dialer-deps.js';
import { dialerAttempts, type DialerAttemptRow } from './dialer.tables.js';

/** What to tell the carrier once the transaction that decided it has committed. */
export interface CarrierActions {
  connects: { attemptId: number; carrierCallId: string; agentId: number }[];
  hangUps: string[];
}

export const noActions = (): CarrierActions => ({ connects: [], hangUps: [] });

/**
 * An answered call: connected to an agent now if one is free, else left waiting; past the grace
 * (2 s after the answer) it is abandoned and hung up. Runs inside the caller's transaction.
 */
export async function connectOrAbandon(
  tx: Db,
  attempt: DialerAttemptRow,
  at: Date,
  actions: CarrierActions,
): Promise<void> {
  if (attempt.endedAt !== null || attempt.connectedAt !== null || attempt.carrierCallId === null) return;
  const answeredAt = attempt.answeredAt ?? at;
  const agentId = await claimAgentFor(tx, attempt);
  if (agentId !== undefined) {
    await markConnected(tx, { ...attempt, answeredAt }, agentId, at);
    actions.connects.push({ attemptId: attempt.id, carrierCallId: attempt.carrierCallId, agentId });
    return;
  }
  if (at.getTime() - answeredAt.getTime() >= CONNECT_GRACE_MS) {
    await closeUnconnectedAttempt(tx, {
      attempt: { ...attempt, answeredAt },
      outcome: 'abandoned',
      at,
      reason: 'no_agent_within_grace',
    });
    await recordDecisions(tx, [
      {
        accountId: attempt.accountId,
        campaignId: attempt.campaignId,
        campaignContactId: attempt.campaignContactId,
        attemptId: attempt.id,
        decidedAt: at,
        kind: 'abandon',
        reason: 'no_agent_within_grace',
        details: { answeredAt: answeredAt.toISOString(), graceMs: CONNECT_GRACE_MS },
      },
    ]);
    actions.hangUps.push(attempt.carrierCallId);
    return;
  }
  if (attempt.answeredAt === null) {
    await tx
      .update(dialerAttempts)
      .set({ answeredAt, updatedAt: at })
      .where(eq(dialerAttempts.id, attempt.id));
  }
}

/** Tells the carrier what the committed transaction decided; a refused connect is undone (abandoned). */
export async function applyCarrierActions(deps: DialerDeps, actions: CarrierActions): Promise<void> {
  await Promise.all([
    ...actions.hangUps.map((carrierCallId) =>
      deps.placer
        .hangUp(carrierCallId)
        .catch((error: unknown) => reportError(deps, error, `hang up ${carrierCallId}`)),
    ),
    ...actions.connects.map(async (connect) => {
      try {
        await deps.placer.connect(connect.carrierCallId, connect.agentId);
      } catch (error) {
        reportError(deps, error, `connect ${connect.carrierCallId}`);
        await deps.db.transaction((tx) => undoConnection(tx, connect.attemptId, deps.clock.now()));
        await deps.placer.hangUp(connect.carrierCallId).catch(() => undefined);
      }
    }),
  ]);
}

/**
 * Serves a campaign's answered calls still waiting for an agent, oldest first: connects them to
 * agents who became free, abandons those past the grace. The tick runs it; so does the timer set
 * when a call is answered with nobody free.
 */
export async function serveWaitingCalls(
  deps: DialerDeps,
  campaignId: number,
  accountId?: number,
): Promise<void> {
  const at = deps.clock.now();
  const actions = noActions();
  await deps.db.transaction(async (tx) => {
    const waiting = await tx
      .select()
      .from(dialerAttempts)
      .where(
        and(
          eq(dialerAttempts.campaignId, campaignId),
          accountId === undefined ? undefined : eq(dialerAttempts.accountId, accountId),
          isNull(dialerAttempts.endedAt),
          isNotNull(dialerAttempts.answeredAt),
          isNull(dialerAttempts.connectedAt),
          lte(dialerAttempts.answeredAt, at),
        ),
      )
      .orderBy(dialerAttempts.answeredAt, dialerAttempts.id)
      .for('update', { skipLocked: true });
    for (const attempt of waiting) await connectOrAbandon(tx, attempt, at, actions);
  });
  await applyCarrierActions(deps, actions);
}

/** The same for one attempt (the grace timer of an answered call). */
export async function serveWaitingCall(deps: DialerDeps, attemptId: number): Promise<void> {
  const at = deps.clock.now();
  const actions = noActions();
  await deps.db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (attempt && attempt.answeredAt !== null) await connectOrAbandon(tx, attempt, at, actions);
  });
  await applyCarrierActions(deps, actions);
}
