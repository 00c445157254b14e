import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface IssuedSecret {
  /** Shown to the caller once, never stored. */
  token: string;
  /** What the database keeps: a SHA-256 of the token. */
  hash: string;
  /** The first characters, to recognise a token in a list without revealing it. */
  prefix: string;
}

/**
 * Tokens carry 256 bits of randomness, so a fast hash is enough to store them:
 * a slow KDF only matters for guessable secrets such as passwords.
 */
export function issueSecret(kind: 'pat' | 'pk' | 'abt'): IssuedSecret {
  const token = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashSecret(token), prefix: token.slice(0, kind.length + 7) };
}

export function hashSecret(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function secretsEqual(a: string, b: string): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
