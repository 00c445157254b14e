import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignedRequest } from '../../../core/webhooks/webhook-format.js';

/**
 * Chatwoot (4.11.2+ for account webhooks, 4.13+ for API inboxes and agent bots) signs each
 * delivery with the webhook's own secret: `X-Chatwoot-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>">`, `X-Chatwoot-Timestamp: <unix seconds>`, `X-Chatwoot-Delivery: <id>`.
 */
export function chatwootSignature(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `sha256=${digest}`;
}

export function signChatwootDelivery(input: {
  deliveryId: string;
  body: string;
  secret: string;
  timestampSeconds: number;
}): SignedRequest {
  return {
    headers: {
      'x-chatwoot-signature': chatwootSignature(input.secret, input.timestampSeconds, input.body),
      'x-chatwoot-timestamp': String(input.timestampSeconds),
      'x-chatwoot-delivery': input.deliveryId,
    },
  };
}

/** What a receiver does: recompute over the raw body, compare in constant time, refuse stale requests. */
export function verifyChatwootSignature(
  secret: string,
  input: { signature: string; timestamp: string; body: string },
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const timestamp = Number(input.timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300))
    return false;
  const expected = Buffer.from(chatwootSignature(secret, timestamp, input.body));
  const actual = Buffer.from(input.signature);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Chatwoot's secrets are opaque random tokens; 24 bytes, URL-safe. */
export function generateChatwootSecret(): string {
  return randomBytes(24).toString('base64url');
}
