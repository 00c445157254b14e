import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { CampaignRow } from '../campaigns/campaigns.tables.js';
import { localTimeOf } from './calling-window.js';
import { detectsMachines } from './pacing.js';
import type { PickedContact } from './contact-picker.js';
import { closeUnconnectedAttempt, lockAttempt } from './attempt-lifecycle.js';
import { recordDecisions, type DecisionInput } from './dialer-decisions.js';
import { reportError, type DialerDeps } from './dialer-deps.js';
import { dialerAttempts } from './dialer.tables.js';
import { shouldRecord } from './ended-call.js';

export interface ChosenContact {
  contact: PickedContact;
  phoneName: string;
  phoneNumber: string;
}

export interface PlannedDial {
  attemptId: number;
  phoneNumber: string;
  record: boolean;
}

/**
 * Marks picked contacts on a call (one try more, last attempt now), creates their attempts and
 * records a `dial` decision each, with every input the rules were checked on: three statements
 * whatever the number of contacts. Runs in the pick's transaction.
 */
export async function startAttempts(
  tx: Db,
  input: {
    campaign: CampaignRow;
    chosen: ChosenContact[];
    at: Date;
    reason: string;
    timezone: string;
    /** The agent the calls are meant for (preview). */
    agentId?: number;
    extraDecisions?: DecisionInput[];
  },
): Promise<PlannedDial[]> {
  const { campaign, chosen, at } = input;
  if (chosen.length === 0) return [];
  await tx.execute(sql`
    UPDATE campaign_contacts AS cc
    SET state = 'processing_in_progress', tries_number = cc.tries_number + 1,
        last_attempt_at = ${at.toISOString()}::timestamptz, current_phone_name = v.phone_name,
        updated_at = ${at.toISOString()}::timestamptz
    FROM (VALUES ${sql.join(
      chosen.map((item) => sql`(${item.contact.id}::bigint, ${item.phoneName}::text)`),
      sql`, `,
    )}) AS v(id, phone_name)
    WHERE cc.id = v.id AND cc.account_id = ${campaign.accountId}`);
  const attempts = await tx
    .insert(dialerAttempts)
    .values(
      chosen.map((item) => ({
        accountId: campaign.accountId,
        campaignId: campaign.id,
        campaignContactId: item.contact.id,
        mode: campaign.mode,
        phoneName: item.phoneName,
        phoneNumber: item.phoneNumber,
        agentId: input.agentId ?? null,
        placedAt: at,
        createdAt: at,
        updatedAt: at,
      })),
    )
    .returning({ id: dialerAttempts.id, campaignContactId: dialerAttempts.campaignContactId });
  const attemptOf = new Map(attempts.map((attempt) => [attempt.campaignContactId, attempt.id]));
  const base = { accountId: campaign.accountId, campaignId: campaign.id, decidedAt: at };
  await recordDecisions(tx, [
    ...(input.extraDecisions ?? []),
    ...chosen.map((item) => ({
      ...base,
      campaignContactId: item.contact.id,
      attemptId: attemptOf.get(item.contact.id) ?? null,
      kind: 'dial' as const,
      reason: input.reason,
      details: dialDetails(item, input.timezone, at, input.agentId),
    })),
  ]);
  return chosen.map((item) => {
    const attemptId = attemptOf.get(item.contact.id) ?? 0;
    return { attemptId, phoneNumber: item.phoneNumber, record: shouldRecord(campaign, attemptId) };
  });
}

function dialDetails(
  item: ChosenContact,
  timezone: string,
  at: Date,
  agentId: number | undefined,
): Record<string, unknown> {
  const { contact } = item;
  return {
    phoneName: item.phoneName,
    phoneNumber: item.phoneNumber,
    priority: contact.priority,
    retryAt: contact.retryAt?.toISOString() ?? null,
    isCallback: contact.isCallback,
    triesBefore: contact.triesNumber,
    lastAttemptAt: contact.lastAttemptAt?.toISOString() ?? null,
    assignedAgentId: contact.assignedAgentId,
    assignedGroupId: contact.assignedGroupId,
    agentId: agentId ?? null,
    localTime: localTimeOf(at, contact.timezone || timezone),
    // The rules the pick checked this contact against, in the same statement that locked it.
    checked: [
      'calling_window',
      'holiday',
      'do_not_call',
      'hours_since_last_attempt',
      'max_tries',
      'not_excluded',
    ],
  };
}

/** Hands one planned call to the carrier and stores its reference; a refused call ends as failed. */
export async function placeCall(
  deps: DialerDeps,
  campaign: Pick<CampaignRow, 'accountId' | 'mode' | 'displayedPhoneNumbers'>,
  dial: PlannedDial,
): Promise<void> {
  try {
    const from = campaign.displayedPhoneNumbers[0];
    const { carrierCallId } = await deps.placer.place({
      accountId: campaign.accountId,
      attemptId: dial.attemptId,
      to: dial.phoneNumber,
      ...(from !== undefined && { from }),
      record: dial.record,
      detectMachine: detectsMachines(campaign.mode),
    });
    await deps.db.update(dialerAttempts).set({ carrierCallId }).where(eq(dialerAttempts.id, dial.attemptId));
  } catch (error) {
    reportError(deps, error, `placing attempt ${dial.attemptId}`);
    await deps.db.transaction(async (tx) => {
      const attempt = await lockAttempt(tx, dial.attemptId);
      if (attempt) {
        await closeUnconnectedAttempt(tx, {
          attempt,
          outcome: 'failed',
          at: deps.clock.now(),
          reason: 'place_refused',
        });
      }
    });
  }
}
