import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../platform/db/database.js';
import type { CampaignRow } from '../campaigns/campaigns.tables.js';
import { localTimeOf } from './calling-window.js';
import { isRunning, isWindowOpen, loadDialingCampaign, type DialingCampaign } from './campaign-rules.js';
import { choosePhone, pickContacts } from './contact-picker.js';
import { placeCall, startAttempts, type PlannedDial } from './dial-start.js';
import { recordNoDialDecision } from './dialer-decisions.js';
import type { DialerDeps } from './dialer-deps.js';
import { loadCampaignLiveState } from './dialer-stats.js';
import { callsToPlace, type PacingDecision, type PacingStats } from './pacing.js';
import { maxTriesCap } from './retry-policy.js';
import { serveWaitingCalls } from './waiting-calls.js';
import { expirePreviewOffers } from './preview.js';

export interface TickResult {
  /** Attempts created (and handed to the carrier) by this tick. */
  attemptIds: number[];
  reason: string;
}

/**
 * One pass of the dialer over a running campaign: answered calls waiting for an agent are served
 * (or abandoned past the 2-second grace), then pacing says how many calls to place, and that many
 * contacts are picked, locked, marked on a call and given an attempt and a decision row in ONE
 * transaction. Only after it commits are the calls handed to the carrier: a crash in between leaves
 * attempts that reconciliation closes, never a call the database does not know about.
 */
export async function dialerTick(
  deps: DialerDeps,
  campaignId: number,
  accountId?: number,
): Promise<TickResult> {
  await serveWaitingCalls(deps, campaignId, accountId);
  const at = deps.clock.now();
  const plan = await deps.db.transaction(async (tx) => {
    // One tick per campaign at a time: a second one racing it backs off instead of pacing on stale counts.
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(hashtext('dialer.tick'), hashtext(${String(campaignId)}::text)) AS locked`,
    );
    if (lock?.locked !== true) return { dials: [], reason: 'tick_in_progress' };
    const dialing = await loadDialingCampaign(tx, campaignId, accountId);
    if (!dialing) return { dials: [], reason: 'no_campaign' };
    if (!isRunning(dialing.campaign)) return { dials: [], reason: 'not_running' };
    if (dialing.campaign.mode === 'preview') await expirePreviewOffers(tx, dialing.campaign, at);
    return planDials(tx, dialing, at);
  });
  const campaign = plan.dials.length > 0 ? plan.campaign : undefined;
  if (campaign) await Promise.all(plan.dials.map((dial) => placeCall(deps, campaign, dial)));
  return { attemptIds: plan.dials.map((dial) => dial.attemptId), reason: plan.reason };
}

async function planDials(
  tx: Db,
  dialing: DialingCampaign,
  at: Date,
): Promise<{ dials: PlannedDial[]; reason: string; campaign?: CampaignRow }> {
  const { campaign, rules } = dialing;
  const live = await loadCampaignLiveState(tx, campaign, at);
  const pacing = enforceAbandonCap(callsToPlace(live.stats), live.stats);
  const base = { accountId: campaign.accountId, campaignId: campaign.id, decidedAt: at };
  if (pacing.callsToPlace <= 0) {
    if (pacing.reason === 'abandon_cap_reached' || pacing.reason === 'predictive_throttled') {
      await recordNoDialDecision(tx, {
        ...base,
        kind: 'throttle',
        reason: pacing.reason,
        details: pacing.details,
      });
    }
    return { dials: [], reason: pacing.reason };
  }
  const picked = await pickContacts(tx, {
    accountId: campaign.accountId,
    campaignId: campaign.id,
    limit: pacing.callsToPlace,
    at,
    rules,
    maxTriesCap: maxTriesCap(campaign),
    agentIds: live.readyAgentIds,
  });
  if (picked.length < pacing.callsToPlace) {
    const windowOpen = await isWindowOpen(tx, rules, at);
    await recordNoDialDecision(tx, {
      ...base,
      kind: 'skip',
      reason: windowOpen ? 'no_callable_contact' : 'outside_calling_window',
      details: {
        wanted: pacing.callsToPlace,
        picked: picked.length,
        localTime: localTimeOf(at, rules.timezone),
      },
    });
  }
  const chosen = picked.flatMap((contact) => {
    const phone = choosePhone(contact.phones, campaign.phoneFields, contact.triesNumber);
    return phone ? [{ contact, ...phone }] : [];
  });
  if (chosen.length === 0) return { dials: [], reason: 'no_callable_contact' };

  const dials = await startAttempts(tx, {
    campaign,
    chosen,
    at,
    reason: pacing.reason,
    timezone: rules.timezone,
    extraDecisions: [
      {
        ...base,
        kind: 'pace',
        reason: pacing.reason,
        details: paceDetails(pacing, live.stats, chosen.length),
      },
    ],
  });
  return { dials, reason: pacing.reason, campaign };
}

/**
 * The hard stop the engine enforces whatever the pacing says: at or over the 30-day cap, no more
 * calls than free agents (a call per free agent cannot be abandoned).
 */
function enforceAbandonCap(decision: PacingDecision, stats: PacingStats): PacingDecision {
  if (stats.mode !== 'predictive' || stats.answered30d === 0) return decision;
  const rate = stats.abandoned30d / stats.answered30d;
  if (rate < stats.maxAbandonRate) return decision;
  const free = Math.max(0, stats.readyAgents - stats.callsRinging - stats.callsAwaitingAgent);
  if (decision.callsToPlace <= free) return { ...decision, reason: 'abandon_cap_reached' };
  return {
    callsToPlace: free,
    reason: 'abandon_cap_reached',
    details: { ...decision.details, abandonRate30d: rate, clampedFrom: decision.callsToPlace },
  };
}

function paceDetails(pacing: PacingDecision, stats: PacingStats, dialled: number): Record<string, unknown> {
  return { ...pacing.details, callsToPlace: pacing.callsToPlace, dialled, stats };
}
