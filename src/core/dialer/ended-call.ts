import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { campaignContacts, campaigns, type CampaignRow } from '../campaigns/campaigns.tables.js';
import { recordDialedCall } from './dialed-call-record.js';
import { reportError, type DialerDeps } from './dialer-deps.js';
import { dialerAttempts, type DialerAttemptRow } from './dialer.tables.js';

/** Recorded when the campaign records, for `recordingPercentage` of the calls (by attempt id, deterministic). */
export function shouldRecord(
  campaign: Pick<CampaignRow, 'isRecorded' | 'recordingPercentage'>,
  attemptId: number,
): boolean {
  if (!campaign.isRecorded) return false;
  const percentage = campaign.recordingPercentage ?? 100;
  return attemptId % 100 < percentage;
}

/**
 * Makes an ended, connected attempt a call of the calls core (with its recording when the campaign
 * records it) through `recordDialedCall`; idempotent (an attempt with a call keeps it).
 */
export async function recordCallOfAttempt(
  deps: { db: Db; storage: BlobStorage },
  input: { accountId: number; attemptId: number },
): Promise<void> {
  const [row] = await deps.db
    .select({
      attempt: dialerAttempts,
      isRecorded: campaigns.isRecorded,
      recordingPercentage: campaigns.recordingPercentage,
      contactId: campaignContacts.contactId,
    })
    .from(dialerAttempts)
    .innerJoin(campaigns, eq(campaigns.id, dialerAttempts.campaignId))
    .leftJoin(campaignContacts, eq(campaignContacts.id, dialerAttempts.campaignContactId))
    .where(and(eq(dialerAttempts.accountId, input.accountId), eq(dialerAttempts.id, input.attemptId)));
  const attempt = row?.attempt;
  if (!row || !attempt || attempt.callId !== null) return;
  if (attempt.connectedAt === null || attempt.endedAt === null || attempt.agentId === null) return;
  await recordDialedCall(deps, {
    accountId: attempt.accountId,
    attemptId: attempt.id,
    agentId: attempt.agentId,
    contactId: row.contactId ?? 0,
    startedAt: attempt.connectedAt,
    durationSeconds: Math.round((attempt.endedAt.getTime() - attempt.connectedAt.getTime()) / 1000),
    isRecorded: shouldRecord(row, attempt.id),
  });
}

/** Without a durable hook (the bench, tests), the call record is made right after the call ends. */
export async function recordEndedCall(deps: DialerDeps, attempt: DialerAttemptRow): Promise<void> {
  if (deps.onCallEnded || !deps.storage) return;
  try {
    await recordCallOfAttempt(
      { db: deps.db, storage: deps.storage },
      { accountId: attempt.accountId, attemptId: attempt.id },
    );
  } catch (error) {
    reportError(deps, error, `recording the call of attempt ${attempt.id}`);
  }
}
