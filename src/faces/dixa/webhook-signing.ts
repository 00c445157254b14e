import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignedRequest } from '../../core/webhooks/webhook-format.js';

/**
 * Dixa's scheme (docs.dixa.io, "Webhooks security"): `X-DIXA-SIGNATURE: t=<timestamp in ms>,
 * v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the subscription's hex-encoded secretKey
 * decoded to bytes; `X-DIXA-SUBSCRIPTION-ID` names the subscription. Parley adds its delivery id
 * (stable across retries, for deduplication) and the event name.
 */
export function dixaSignature(secretKey: string, timestampMs: number, body: string): string {
  const digest = createHmac('sha256', Buffer.from(secretKey, 'hex'))
    .update(`${timestampMs}.${body}`, 'utf8')
    .digest('hex');
  return `t=${timestampMs},v1=${digest}`;
}

export function signDixaDelivery(input: {
  secretKey: string;
  subscriptionUuid: string;
  deliveryId: string;
  eventType: string;
  body: string;
  timestampSeconds: number;
}): SignedRequest {
  return {
    headers: {
      'x-dixa-signature': dixaSignature(input.secretKey, input.timestampSeconds * 1000, input.body),
      'x-dixa-subscription-id': input.subscriptionUuid,
      'x-dixa-delivery-id': input.deliveryId,
      'x-dixa-event': input.eventType,
    },
  };
}

/** What a receiver does: recompute over the raw body, compare in constant time, refuse stale requests. */
export function verifyDixaSignature(
  secretKey: string,
  input: { signature: string; body: string },
  options: { toleranceMs?: number; nowMs?: number } = {},
): boolean {
  const timestamp = Number(/(?:^|,)t=(\d+)/.exec(input.signature)?.[1]);
  const now = options.nowMs ?? Date.now();
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > (options.toleranceMs ?? 300_000))
    return false;
  const expected = Buffer.from(dixaSignature(secretKey, timestamp, input.body));
  const actual = Buffer.from(input.signature);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Dixa's secret keys are hex: 32 random bytes. */
export function generateDixaSecretKey(): string {
  return randomBytes(32).toString('hex');
}
