import type {
  CampaignRow,
  RetryableOutcome,
  RetryRule,
  WrapupStatus,
} from '../campaigns/campaigns.tables.js';
import { retryableOutcomes } from '../campaigns/campaigns.tables.js';
import { FINAL_WRAPUP_STATUSES } from './dialer-deps.js';

type RetrySettings = Pick<CampaignRow, 'maxTries' | 'nextTryDelay' | 'retryRules'>;

/** What happens to a contact after an attempt or a wrap-up: a retry date, or none (finished). */
export interface RetryDecision {
  retryAt: Date | null;
  isCallback: boolean;
  reason: 'retry' | 'callback' | 'max_tries_reached' | 'final_wrapup';
  rule: RetryRule;
}

export function isRetryableOutcome(outcome: string): outcome is RetryableOutcome {
  return (retryableOutcomes as readonly string[]).includes(outcome);
}

/** The campaign's rule for a call outcome or a wrap-up status; a missing one falls back to maxTries/nextTryDelay. */
export function retryRuleFor(
  campaign: RetrySettings,
  key: { outcome: string } | { wrapupStatus: WrapupStatus },
): RetryRule {
  const fallback = { maxTries: campaign.maxTries, delaySeconds: campaign.nextTryDelay };
  if ('outcome' in key) {
    return isRetryableOutcome(key.outcome)
      ? (campaign.retryRules.byOutcome?.[key.outcome] ?? fallback)
      : fallback;
  }
  return campaign.retryRules.byWrapupStatus?.[key.wrapupStatus] ?? fallback;
}

/** The highest tries count any of the campaign's rules allows: the pick's safety cap. */
export function maxTriesCap(campaign: RetrySettings): number {
  const rules = [
    ...Object.values(campaign.retryRules.byOutcome ?? {}),
    ...Object.values(campaign.retryRules.byWrapupStatus ?? {}),
  ];
  return Math.max(campaign.maxTries, ...rules.map((rule) => rule.maxTries));
}

/**
 * The next try after an attempt that reached nobody (`outcome`) or after an agent's wrap-up
 * (`wrapupStatus`, with the contact's own `callbackAt` for a tocall). `triesNumber` counts the
 * attempt just made. A final status (argued, arguedpositive, nonargued) ends the contact.
 */
export function nextRetry(
  campaign: RetrySettings,
  input: {
    key: { outcome: string } | { wrapupStatus: WrapupStatus };
    triesNumber: number;
    at: Date;
    callbackAt?: Date | undefined;
  },
): RetryDecision {
  const rule = retryRuleFor(campaign, input.key);
  if (
    'wrapupStatus' in input.key &&
    (FINAL_WRAPUP_STATUSES as readonly string[]).includes(input.key.wrapupStatus)
  ) {
    return { retryAt: null, isCallback: false, reason: 'final_wrapup', rule };
  }
  if (input.triesNumber >= rule.maxTries) {
    return { retryAt: null, isCallback: false, reason: 'max_tries_reached', rule };
  }
  if (input.callbackAt && 'wrapupStatus' in input.key && input.key.wrapupStatus === 'tocall') {
    return { retryAt: input.callbackAt, isCallback: true, reason: 'callback', rule };
  }
  return {
    retryAt: new Date(input.at.getTime() + rule.delaySeconds * 1000),
    isCallback: false,
    reason: 'retry',
    rule,
  };
}
