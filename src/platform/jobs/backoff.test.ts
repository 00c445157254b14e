import { describe, expect, it } from 'vitest';
import {
  exponentialBackoff,
  scheduleBackoff,
  webhookMaxAttempts,
  webhookRetryDelaysMs,
  webhookRetrySchedule,
} from './backoff.js';

describe('backoff', () => {
  it('grows exponentially up to the cap, with full jitter below it', () => {
    const top = exponentialBackoff({ baseMs: 1000, maxMs: 10_000, random: () => 1 });
    const bottom = exponentialBackoff({ baseMs: 1000, maxMs: 10_000, random: () => 0 });

    expect([1, 2, 3, 4, 5, 20].map(top)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 5, 20].map(bottom)).toEqual([0, 0, 0]);
  });

  it('follows a schedule within ±jitter and repeats its last delay', () => {
    const low = scheduleBackoff([100, 1000], { jitter: 0.2, random: () => 0 });
    const high = scheduleBackoff([100, 1000], { jitter: 0.2, random: () => 1 });

    expect([1, 2, 3, 9].map(low)).toEqual([80, 800, 800, 800]);
    expect([1, 2, 3].map(high)).toEqual([120, 1200, 1200]);
  });

  it('spreads webhook retries over ten attempts and about three days', () => {
    const totalMs = webhookRetryDelaysMs.reduce((sum, ms) => sum + ms, 0);
    const delays = Array.from({ length: webhookMaxAttempts - 1 }, (_, index) =>
      webhookRetrySchedule(index + 1),
    );

    expect(webhookMaxAttempts).toBe(10);
    expect(delays[0]).toBeGreaterThanOrEqual(4000);
    expect(delays[0]).toBeLessThanOrEqual(6000);
    expect(totalMs / 3_600_000).toBeGreaterThan(55);
    expect(totalMs / 3_600_000).toBeLessThan(80);
  });
});
