import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignatureAlgorithm } from '../../core/webhooks/webhooks.tables.js';

/**
 * CALLR's scheme (docs.callr.com/webhooks, "HTTP headers"): `X-CALLR-HmacSignature` is the base64
 * HMAC of the JSON payload as sent, with the webhook's `hmac_algo` (SHA256 by default) keyed with
 * its `hmac_secret`, sent only when a secret was given; `X-CALLR-EventId` repeats the body's event_id.
 */
export const CALLR_SIGNATURE_HEADER = 'x-callr-hmacsignature';
export const CALLR_EVENT_ID_HEADER = 'x-callr-eventid';

export const callrHmacAlgos = ['MD5', 'SHA1', 'SHA256', 'SHA512'] as const;
export type CallrHmacAlgo = (typeof callrHmacAlgos)[number];

const toEngine: Record<CallrHmacAlgo, SignatureAlgorithm> = {
  MD5: 'md5',
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

export function engineAlgorithmOf(algo: CallrHmacAlgo): SignatureAlgorithm {
  return toEngine[algo];
}

export function callrSignature(algorithm: SignatureAlgorithm, secret: string, body: string): string {
  return createHmac(algorithm, secret).update(body, 'utf8').digest('base64');
}

/** What a receiver does: recompute over the raw body and compare in constant time. */
export function verifyCallrSignature(
  algo: CallrHmacAlgo,
  secret: string,
  input: { signature: string; body: string },
): boolean {
  const expected = Buffer.from(callrSignature(engineAlgorithmOf(algo), secret, input.body));
  const actual = Buffer.from(input.signature);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A secret for a subscription made outside `webhooks.subscribe` (CALLR's own sign only when given one). */
export function generateCallrSecret(): string {
  return randomBytes(24).toString('base64url');
}
