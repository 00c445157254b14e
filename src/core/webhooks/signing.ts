import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignatureAlgorithm } from './webhooks.tables.js';

/** HMAC of the exact bytes sent, hex-encoded: the common scheme of the faces' products. */
export function hmacHex(algorithm: SignatureAlgorithm, secret: string | Buffer, data: string): string {
  return createHmac(algorithm, secret).update(data, 'utf8').digest('hex');
}

/** Standard Webhooks secrets are `whsec_` + base64 of the key bytes. */
export function generateStandardSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, per Standard Webhooks 1.0. */
export function signStandard(secret: string, id: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', standardKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${digest}`;
}

export interface StandardVerification {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

/**
 * What a receiver does: recompute and compare in constant time, and refuse stale timestamps
 * so a captured request cannot be replayed later.
 */
export function verifyStandard(
  secret: string,
  input: StandardVerification,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const timestamp = Number(input.timestamp);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300))
    return false;
  const expected = Buffer.from(signStandard(secret, input.id, timestamp, input.body));
  return input.signature.split(' ').some((candidate) => {
    const actual = Buffer.from(candidate);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}
