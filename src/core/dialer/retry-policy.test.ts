import { describe, expect, it } from 'vitest';
import { maxTriesCap, nextRetry } from './retry-policy.js';

const campaign = {
  maxTries: 3,
  nextTryDelay: 86_400,
  retryRules: {
    byOutcome: { busy: { maxTries: 5, delaySeconds: 600 } },
    byWrapupStatus: { unreachable: { maxTries: 2, delaySeconds: 7200 } },
  },
};
const at = new Date('2026-01-05T10:00:00Z');

describe('retry policy', () => {
  it('uses the rule of the outcome, else the campaign fallback', () => {
    expect(nextRetry(campaign, { key: { outcome: 'busy' }, triesNumber: 4, at }).retryAt).toEqual(
      new Date(at.getTime() + 600_000),
    );
    expect(nextRetry(campaign, { key: { outcome: 'no_answer' }, triesNumber: 1, at }).retryAt).toEqual(
      new Date(at.getTime() + 86_400_000),
    );
    expect(nextRetry(campaign, { key: { outcome: 'no_answer' }, triesNumber: 3, at })).toMatchObject({
      retryAt: null,
      reason: 'max_tries_reached',
    });
  });

  it('drives a wrap-up: tocall callback or delay, unreachable per its rule, final statuses stop', () => {
    const callbackAt = new Date('2026-01-06T09:00:00Z');
    expect(
      nextRetry(campaign, { key: { wrapupStatus: 'tocall' }, triesNumber: 1, at, callbackAt }),
    ).toMatchObject({ retryAt: callbackAt, isCallback: true });
    expect(
      nextRetry(campaign, { key: { wrapupStatus: 'tocall' }, triesNumber: 3, at, callbackAt }),
    ).toMatchObject({ retryAt: null });
    expect(nextRetry(campaign, { key: { wrapupStatus: 'unreachable' }, triesNumber: 1, at }).retryAt).toEqual(
      new Date(at.getTime() + 7_200_000),
    );
    expect(
      nextRetry(campaign, { key: { wrapupStatus: 'unreachable' }, triesNumber: 2, at }).retryAt,
    ).toBeNull();
    for (const status of ['argued', 'arguedpositive', 'nonargued'] as const) {
      expect(nextRetry(campaign, { key: { wrapupStatus: status }, triesNumber: 0, at })).toMatchObject({
        retryAt: null,
        reason: 'final_wrapup',
      });
    }
    expect(maxTriesCap(campaign)).toBe(5);
  });
});
