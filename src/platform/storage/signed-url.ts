import { createHmac, timingSafeEqual } from 'node:crypto';
import { blobKeyProblem, validateBlobKey, type SignedUrlMethod } from './blob-storage.js';

/**
 * Signed blob URLs: `${publicUrl}/blobs/${key}?expires=<unix seconds>&max=<bytes>&signature=<hex>`.
 * The signature is an HMAC-SHA256 over method, key, expiry and size limit, so none of them can be
 * changed by the holder. Framework-free: the HTTP route passes what it parsed and acts on the verdict.
 */

export interface SignedUrlClaims {
  method: SignedUrlMethod;
  key: string;
  /** Unix time in seconds after which the URL is refused. */
  expires: number;
  maxBytes?: number | undefined;
}

export interface CreateSignedUrlInput {
  publicUrl: string;
  key: string;
  method?: SignedUrlMethod;
  expiresInSeconds: number;
  maxBytes?: number | undefined;
  now?: Date;
}

/** What an HTTP route has at hand: query values are passed as parsed (unknown), and validated here. */
export interface SignedUrlParams {
  method: string;
  key: string;
  expires: unknown;
  max: unknown;
  signature: unknown;
}

export type SignedUrlVerdict =
  | { ok: true; method: SignedUrlMethod; key: string; expiresAt: Date; maxBytes: number | undefined }
  | { ok: false; reason: 'expired' | 'bad_signature' | 'malformed' };

const MIN_SECRET_LENGTH = 16;
const DIGITS = /^[0-9]{1,15}$/;
const SIGNATURE = /^[0-9a-f]{64}$/i;

/** Hex HMAC of the claims. Newlines separate fields: keys and methods cannot contain one, so no two claims collide. */
export function signBlobClaims(claims: SignedUrlClaims, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`The blob signing secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const max = claims.maxBytes === undefined ? '' : String(claims.maxBytes);
  const canonical = `${claims.method}\n${claims.key}\n${claims.expires}\n${max}`;
  return createHmac('sha256', secret).update(canonical).digest('hex');
}

export function createSignedUrl(input: CreateSignedUrlInput, secret: string): string {
  validateBlobKey(input.key);
  if (!Number.isFinite(input.expiresInSeconds) || input.expiresInSeconds <= 0) {
    throw new RangeError('expiresInSeconds must be a positive number');
  }
  if (input.maxBytes !== undefined && (!Number.isSafeInteger(input.maxBytes) || input.maxBytes < 0)) {
    throw new RangeError('maxBytes must be a non-negative integer');
  }
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: SignedUrlClaims = {
    method: input.method ?? 'GET',
    key: input.key,
    expires: nowSeconds + Math.ceil(input.expiresInSeconds),
    maxBytes: input.maxBytes,
  };
  const query = new URLSearchParams({ expires: String(claims.expires) });
  if (claims.maxBytes !== undefined) query.set('max', String(claims.maxBytes));
  query.set('signature', signBlobClaims(claims, secret));
  // Valid keys only hold URL-safe characters, so the key goes into the path as is.
  return `${input.publicUrl.replace(/\/+$/, '')}/blobs/${claims.key}?${query.toString()}`;
}

/**
 * Checks a signed URL's parts. The signature is checked before the expiry so that
 * 'expired' is only ever reported for a URL Parley really issued.
 */
export function verifySignedUrl(
  params: SignedUrlParams,
  secret: string,
  now: Date = new Date(),
): SignedUrlVerdict {
  const claims = parseClaims(params);
  if (!claims || typeof params.signature !== 'string' || !SIGNATURE.test(params.signature)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(signBlobClaims(claims, secret), 'hex');
  const given = Buffer.from(params.signature, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  if (now.getTime() >= claims.expires * 1000) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    method: claims.method,
    key: claims.key,
    expiresAt: new Date(claims.expires * 1000),
    maxBytes: claims.maxBytes,
  };
}

function parseClaims(params: SignedUrlParams): SignedUrlClaims | undefined {
  // HEAD reads nothing a GET would not, and some media players probe with it first.
  const requested = params.method.toUpperCase();
  const method = requested === 'HEAD' ? 'GET' : requested;
  if (method !== 'GET' && method !== 'PUT') return undefined;
  if (blobKeyProblem(params.key) !== undefined) return undefined;
  if (typeof params.expires !== 'string' || !DIGITS.test(params.expires)) return undefined;
  const max = params.max;
  if (max !== undefined && (typeof max !== 'string' || !DIGITS.test(max))) return undefined;
  return {
    method,
    key: params.key,
    expires: Number(params.expires),
    maxBytes: max === undefined ? undefined : Number(max),
  };
}
