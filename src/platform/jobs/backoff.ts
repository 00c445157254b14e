/** Delay in ms before the next try, given how many attempts have been made so far (1 after the first failure). */
export type BackoffFn = (attempt: number) => number;

export interface ExponentialBackoffOptions {
  /** Cap of the first retry's delay. */
  baseMs?: number;
  /** No delay ever exceeds this. */
  maxMs?: number;
  factor?: number;
  /** Injectable for tests; Math.random by default. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base * factor^(attempt-1))].
 * Full jitter spreads the retries of jobs that failed together (a provider outage) instead of
 * bringing them all back at the same instant.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): BackoffFn {
  const { baseMs = 1000, maxMs = 3_600_000, factor = 2, random = Math.random } = options;
  return (attempt) => {
    const exponent = Math.max(0, attempt - 1);
    const cap = Math.min(maxMs, baseMs * factor ** exponent);
    return Math.round(random() * cap);
  };
}

export interface ScheduleOptions {
  /** Relative spread around each delay: 0.2 means ±20%. */
  jitter?: number;
  random?: () => number;
}

/**
 * A fixed, named schedule: attempt n waits delaysMs[n-1] (the last entry repeats), ±jitter.
 * Good when the retry horizon is a promise to users, as with webhooks.
 */
export function scheduleBackoff(delaysMs: readonly number[], options: ScheduleOptions = {}): BackoffFn {
  if (delaysMs.length === 0) throw new Error('scheduleBackoff needs at least one delay');
  const { jitter = 0.2, random = Math.random } = options;
  return (attempt) => {
    const index = Math.min(Math.max(attempt, 1), delaysMs.length) - 1;
    const delay = delaysMs[index] ?? 0;
    return Math.max(0, Math.round(delay * (1 + jitter * (2 * random() - 1))));
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Nine waits between ten attempts, about 2.6 days in all (before jitter). */
export const webhookRetryDelaysMs: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
];

export const webhookMaxAttempts = webhookRetryDelaysMs.length + 1;

export const webhookRetrySchedule: BackoffFn = scheduleBackoff(webhookRetryDelaysMs, { jitter: 0.2 });
