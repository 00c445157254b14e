import { webhookMaxAttempts, webhookRetrySchedule, type BackoffFn } from '../../platform/jobs/index.js';

/** The one delivery policy every face's webhooks share (see DESIGN.md "Signed everything"). */
export interface WebhookPolicy {
  timeoutMs: number;
  maxAttempts: number;
  backoff: BackoffFn;
  /** Response bytes kept in the delivery log. */
  snippetBytes: number;
  /** An endpoint is disabled once it has failed without a single success for this long... */
  disableAfterMs: number;
  /** ...and at least this many attempts in a row. */
  disableAfterFailures: number;
  /** Upper bound on a receiver's Retry-After, so one endpoint cannot park a job for weeks. */
  maxRetryAfterMs: number;
  /** Deliveries in flight to one endpoint (subscription) at a time; the rest wait unclaimed. */
  endpointConcurrency: number;
  /** Failed attempts in a row after which the endpoint's circuit opens... */
  circuitFailureThreshold: number;
  /** ...for this long, doubling with every further failure... */
  circuitCooldownMs: number;
  /** ...up to this. */
  circuitMaxCooldownMs: number;
}

export const defaultWebhookPolicy: WebhookPolicy = {
  timeoutMs: 15_000,
  maxAttempts: webhookMaxAttempts,
  backoff: webhookRetrySchedule,
  snippetBytes: 1024,
  disableAfterMs: 5 * 24 * 60 * 60 * 1000,
  disableAfterFailures: 20,
  maxRetryAfterMs: 24 * 60 * 60 * 1000,
  endpointConcurrency: 2,
  // Ten in a row: a receiver failing 30 % of the time at random almost never trips it (0.3^10),
  // one that is down trips it within its first dozen deliveries.
  circuitFailureThreshold: 10,
  circuitCooldownMs: 30_000,
  circuitMaxCooldownMs: 15 * 60_000,
};

/** How long the whole retry schedule lasts: the sum of its waits between the attempts. */
export function retryHorizonMs(policy: Pick<WebhookPolicy, 'backoff' | 'maxAttempts'>): number {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1)
    total += Math.max(0, policy.backoff(attempt));
  return total;
}

/**
 * The wait before the next attempt. A receiver's Retry-After is honoured only within the
 * schedule: never sooner than the schedule's own wait for this attempt (`Retry-After: 0` must not
 * burn every attempt in a second), and never past the end of the schedule (nor maxRetryAfterMs).
 */
export function nextRetryDelayMs(input: {
  policy: Pick<WebhookPolicy, 'backoff' | 'maxRetryAfterMs'>;
  attempt: number;
  retryAfterMs: number | undefined;
  /** Time left until the schedule's end, counted from the delivery's creation. */
  remainingMs: number;
}): number {
  const floor = Math.max(0, input.policy.backoff(input.attempt));
  if (input.retryAfterMs === undefined) return floor;
  const ceiling = Math.min(input.remainingMs, input.policy.maxRetryAfterMs);
  return Math.max(floor, Math.min(input.retryAfterMs, ceiling));
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
