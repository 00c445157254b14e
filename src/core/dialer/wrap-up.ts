import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { campaignContacts } from '../campaigns/campaigns.tables.js';
import { loadWrapupCode } from '../campaigns/wrapups.js';
import { realClock, type Clock } from '../telephony/clock.js';
import { loadCampaignForAttempt, lockAttempt } from './attempt-lifecycle.js';
import { recordDecisions } from './dialer-decisions.js';
import { dialerAgents, dialerAttempts, type DialerAttemptRow } from './dialer.tables.js';
import { nextRetry } from './retry-policy.js';

export interface WrapUpInput {
  accountId: number;
  attemptId: number;
  agentId: number;
  wrapupId: number;
  comment?: string | undefined;
  /** When the contact asked to be called back (tocall codes): a callback, exempt from the 72-hour rule. */
  retryAt?: Date | undefined;
}

/**
 * An agent's wrap-up of a connected call. The code's status drives the contact: tocall → called
 * back at `retryAt` (a callback) or after the rule's delay, up to the rule's max tries;
 * unreachable → retried per its rule; argued, arguedpositive, nonargued → finished. The attempt
 * keeps the code, the contact its code, comment and agent, and the agent is ready again.
 * 404 for an attempt or code of another account; 409 when the call is still live or already wrapped up.
 */
export async function wrapUpAttempt(
  db: Db,
  input: WrapUpInput,
  clock: Clock = realClock,
): Promise<DialerAttemptRow> {
  const at = clock.now();
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, input.attemptId, input.accountId);
    if (!attempt) throw notFound('Dialer attempt');
    if (attempt.connectedAt === null) {
      throw new DomainError('INVALID_STATE', 'Only a call connected to an agent can be wrapped up');
    }
    if (attempt.endedAt === null) throw new DomainError('INVALID_STATE', 'The call is still live');
    if (attempt.wrappedUpAt !== null) throw new DomainError('CONFLICT', 'The call is already wrapped up');
    if (attempt.agentId !== input.agentId) {
      throw new DomainError('FORBIDDEN', 'Only the agent who took the call can wrap it up');
    }
    const code = await loadWrapupCode(tx, input.accountId, input.wrapupId);
    if (!code) throw notFound('Wrap-up code');
    if (input.retryAt && code.status !== 'tocall') {
      throw new DomainError('VALIDATION_FAILED', 'A retry date goes with a wrap-up code of status tocall', [
        { path: 'retryAt', message: 'only for tocall codes' },
      ]);
    }
    const campaign = await loadCampaignForAttempt(tx, attempt);
    const [wrapped] = await tx
      .update(dialerAttempts)
      .set({ wrappedUpAt: at, wrapupId: code.id, wrapupStatus: code.status, updatedAt: at })
      .where(eq(dialerAttempts.id, attempt.id))
      .returning();
    await tx
      .update(dialerAgents)
      .set({ state: 'ready', attemptId: null, stateSince: at, updatedAt: at })
      .where(
        and(
          eq(dialerAgents.campaignId, attempt.campaignId),
          eq(dialerAgents.userId, input.agentId),
          eq(dialerAgents.attemptId, attempt.id),
        ),
      );
    if (attempt.campaignContactId !== null) {
      const [contact] = await tx
        .select({ triesNumber: campaignContacts.triesNumber })
        .from(campaignContacts)
        .where(eq(campaignContacts.id, attempt.campaignContactId))
        .for('update');
      const retry = nextRetry(campaign, {
        key: { wrapupStatus: code.status },
        triesNumber: contact?.triesNumber ?? 0,
        at,
        callbackAt: input.retryAt,
      });
      // A personal callback stays with its agent for the code's `unpinAfter` seconds past its date.
      const pin =
        retry.isCallback && retry.retryAt && code.unpinAfter !== null
          ? {
              assignedAgentId: input.agentId,
              assignedAgentExpiresAt: new Date(retry.retryAt.getTime() + code.unpinAfter * 1000),
            }
          : {};
      await tx
        .update(campaignContacts)
        .set({
          state: 'processing_not_in_progress',
          wrapupId: code.id,
          wrapupStatus: code.status,
          agentId: input.agentId,
          retryAt: retry.retryAt,
          isCallback: retry.isCallback,
          ...(input.comment !== undefined && { comment: input.comment }),
          ...pin,
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
          kind: 'wrapup',
          reason: retry.reason,
          details: {
            agentId: input.agentId,
            wrapupId: code.id,
            wrapupStatus: code.status,
            triesNumber: contact?.triesNumber ?? 0,
            rule: retry.rule,
            retryAt: retry.retryAt?.toISOString() ?? null,
            isCallback: retry.isCallback,
          },
        },
      ]);
    }
    return wrapped ?? attempt;
  });
}
