import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { campaignContacts, campaigns, type CampaignRow } from '../campaigns/campaigns.tables.js';
import { loadSystemWrapupCode, systemWrapupNameOf } from '../campaigns/wrapups.js';
import { recordDecisions } from './dialer-decisions.js';
import { dialerAgents, dialerAttempts, type DialerAttemptRow, type DialOutcome } from './dialer.tables.js';
import { nextRetry } from './retry-policy.js';

/** Outcomes that end an attempt before any agent talked. */
export type UnconnectedOutcome = Exclude<DialOutcome, 'answered'>;

/** Locks an attempt by id (tenant-scoped when `accountId` is given). */
export async function lockAttempt(
  tx: Db,
  attemptId: number,
  accountId?: number,
): Promise<DialerAttemptRow | undefined> {
  const [row] = await tx
    .select()
    .from(dialerAttempts)
    .where(
      accountId === undefined
        ? eq(dialerAttempts.id, attemptId)
        : and(eq(dialerAttempts.id, attemptId), eq(dialerAttempts.accountId, accountId)),
    )
    .for('update');
  return row;
}

export async function loadCampaignForAttempt(tx: Db, attempt: DialerAttemptRow): Promise<CampaignRow> {
  const [campaign] = await tx
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.accountId, attempt.accountId), eq(campaigns.id, attempt.campaignId)));
  if (!campaign) throw new Error(`campaign ${attempt.campaignId} of attempt ${attempt.id} is gone`);
  return campaign;
}

/**
 * Ends an attempt nobody talked on (busy, no answer, machine, invalid number, failed, abandoned):
 * the contact is freed with its next try per the campaign's rule for that outcome (or none when
 * its tries are used up) and the system wrap-up of the outcome; an agent held for it is released.
 * Idempotent: an attempt already ended is left alone (returns false).
 */
export async function closeUnconnectedAttempt(
  tx: Db,
  input: { attempt: DialerAttemptRow; outcome: UnconnectedOutcome; at: Date; reason: string },
): Promise<boolean> {
  const { attempt, outcome, at } = input;
  if (attempt.endedAt !== null) return false;
  const isPersonAnswer = outcome === 'abandoned';
  await tx
    .update(dialerAttempts)
    .set({
      outcome,
      endedAt: at,
      answeredAt: attempt.answeredAt ?? (isPersonAnswer || outcome === 'machine' ? at : null),
      updatedAt: at,
    })
    .where(eq(dialerAttempts.id, attempt.id));
  await releaseAgentsHeldFor(tx, attempt, at);
  if (attempt.campaignContactId === null) return true;
  const campaign = await loadCampaignForAttempt(tx, attempt);
  const [contact] = await tx
    .select({ triesNumber: campaignContacts.triesNumber })
    .from(campaignContacts)
    .where(
      and(
        eq(campaignContacts.accountId, attempt.accountId),
        eq(campaignContacts.id, attempt.campaignContactId),
      ),
    )
    .for('update');
  if (!contact) return true;
  const retry = nextRetry(campaign, { key: { outcome }, triesNumber: contact.triesNumber, at });
  const code =
    outcome in systemWrapupNameOf
      ? await loadSystemWrapupCode(tx, attempt.accountId, outcome as keyof typeof systemWrapupNameOf)
      : undefined;
  await tx
    .update(campaignContacts)
    .set({
      state: 'processing_not_in_progress',
      retryAt: retry.retryAt,
      isCallback: false,
      ...(code && { wrapupId: code.id, wrapupStatus: code.status }),
      updatedAt: at,
    })
    .where(eq(campaignContacts.id, attempt.campaignContactId));
  await recordDecisions(tx, [
    {
      accountId: attempt.accountId,
      campaignId: attempt.campaignId,
      campaignContactId: attempt.campaignContactId,
      attemptId: attempt.id,
      decidedAt: at,
      kind: 'retry',
      reason: retry.reason,
      details: {
        outcome,
        cause: input.reason,
        triesNumber: contact.triesNumber,
        rule: retry.rule,
        retryAt: retry.retryAt?.toISOString() ?? null,
        systemWrapup: code?.name ?? null,
      },
    },
  ]);
  return true;
}

/** An agent held for an attempt (preview, or connected) goes back to ready. */
async function releaseAgentsHeldFor(tx: Db, attempt: DialerAttemptRow, at: Date): Promise<void> {
  await tx
    .update(dialerAgents)
    .set({ state: 'ready', attemptId: null, stateSince: at, updatedAt: at })
    .where(
      and(
        eq(dialerAgents.accountId, attempt.accountId),
        eq(dialerAgents.campaignId, attempt.campaignId),
        eq(dialerAgents.attemptId, attempt.id),
        sql`${dialerAgents.state} IN ('reserved', 'on_call')`,
      ),
    );
}

/**
 * The agent who takes an answered call: the one held for it (preview), else the contact's
 * assigned agent when ready, else the ready agent idle the longest. Locked, SKIP LOCKED.
 */
export async function claimAgentFor(tx: Db, attempt: DialerAttemptRow): Promise<number | undefined> {
  const [held] = await tx
    .select({ userId: dialerAgents.userId })
    .from(dialerAgents)
    .where(
      and(
        eq(dialerAgents.accountId, attempt.accountId),
        eq(dialerAgents.campaignId, attempt.campaignId),
        eq(dialerAgents.attemptId, attempt.id),
        eq(dialerAgents.state, 'reserved'),
      ),
    )
    .for('update');
  if (held) return held.userId;
  if (attempt.mode === 'preview') return undefined;
  const assigned = attempt.campaignContactId
    ? sql`(SELECT assigned_agent_id FROM campaign_contacts WHERE id = ${attempt.campaignContactId})`
    : sql`NULL::bigint`;
  const [ready] = await tx
    .select({ userId: dialerAgents.userId })
    .from(dialerAgents)
    .where(
      and(
        eq(dialerAgents.accountId, attempt.accountId),
        eq(dialerAgents.campaignId, attempt.campaignId),
        eq(dialerAgents.state, 'ready'),
      ),
    )
    .orderBy(
      sql`(${dialerAgents.userId} = ${assigned}) IS TRUE DESC`,
      dialerAgents.stateSince,
      dialerAgents.userId,
    )
    .limit(1)
    .for('update', { skipLocked: true });
  return ready?.userId;
}

/** Marks an answered call connected to `agentId`: the agent is on the call, the contact was called by the system. */
export async function markConnected(
  tx: Db,
  attempt: DialerAttemptRow,
  agentId: number,
  at: Date,
): Promise<void> {
  await tx
    .update(dialerAttempts)
    .set({
      answeredAt: attempt.answeredAt ?? at,
      connectedAt: at,
      agentId,
      outcome: 'answered',
      updatedAt: at,
    })
    .where(eq(dialerAttempts.id, attempt.id));
  await tx
    .update(dialerAgents)
    .set({ state: 'on_call', attemptId: attempt.id, stateSince: at, updatedAt: at })
    .where(and(eq(dialerAgents.campaignId, attempt.campaignId), eq(dialerAgents.userId, agentId)));
  if (attempt.campaignContactId !== null) {
    await tx
      .update(campaignContacts)
      .set({ agentId, lastAgentId: agentId, lastCallerType: 'system', lastCallAt: at, updatedAt: at })
      .where(eq(campaignContacts.id, attempt.campaignContactId));
  }
  await recordDecisions(tx, [
    {
      accountId: attempt.accountId,
      campaignId: attempt.campaignId,
      campaignContactId: attempt.campaignContactId,
      attemptId: attempt.id,
      decidedAt: at,
      kind: 'connect',
      reason: 'agent_available',
      details: {
        agentId,
        waitedMs: attempt.answeredAt ? at.getTime() - attempt.answeredAt.getTime() : 0,
      },
    },
  ]);
}

/** A connect the carrier refused (the person hung up meanwhile): the call was abandoned after all. */
export async function undoConnection(tx: Db, attemptId: number, at: Date): Promise<void> {
  const attempt = await lockAttempt(tx, attemptId);
  if (!attempt || attempt.endedAt !== null) return;
  await tx
    .update(dialerAttempts)
    .set({ connectedAt: null, agentId: null, outcome: null, updatedAt: at })
    .where(eq(dialerAttempts.id, attemptId));
  await closeUnconnectedAttempt(tx, {
    attempt: { ...attempt, connectedAt: null, outcome: null },
    outcome: 'abandoned',
    at,
    reason: 'connect_refused',
  });
}

/** The connected call ended: its agent goes to wrap-up; the contact stays on it until the wrap-up. */
export async function endConnectedAttempt(tx: Db, attempt: DialerAttemptRow, at: Date): Promise<boolean> {
  const [ended] = await tx
    .update(dialerAttempts)
    .set({ endedAt: at, updatedAt: at })
    .where(and(eq(dialerAttempts.id, attempt.id), isNull(dialerAttempts.endedAt)))
    .returning({ id: dialerAttempts.id });
  if (!ended) return false;
  await tx
    .update(dialerAgents)
    .set({ state: 'wrap_up', stateSince: at, updatedAt: at })
    .where(
      and(
        eq(dialerAgents.campaignId, attempt.campaignId),
        eq(dialerAgents.attemptId, attempt.id),
        eq(dialerAgents.state, 'on_call'),
      ),
    );
  return true;
}
