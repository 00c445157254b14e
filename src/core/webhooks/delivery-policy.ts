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
}

export const defaultWebhookPolicy: WebhookPolicy = {
  timeoutMs: 15_000,
  maxAttempts: webhookMaxAttempts,
  backoff: webhookRetrySchedule,
  snippetBytes: 1024,
  disableAfterMs: 5 * 24 * 60 * 60 * 1000,
  disableAfterFailures: 20,
  maxRetryAfterMs: 24 * 60 * 60 * 1000,
};

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
