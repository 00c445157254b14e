import { createHash } from 'node:crypto';

/**
 * CALLR names objects by short "hash" strings (e.g. "5DC4A2E0"); Parley's core keys are integers.
 * A hash is the id through a keyed 32-bit permutation (a four-round Feistel network), written as
 * eight uppercase hex digits: reversible without a lookup table, stable, and different per kind,
 * so an app's hash is not also an SMS's. It hides nothing (ids are not secret; every lookup still
 * checks the account) — it only gives CALLR clients the shape of id they expect.
 */

export type HashKind =
  | 'app'
  | 'did'
  | 'sms'
  | 'call'
  | 'clicktocall'
  | 'media'
  | 'recording'
  | 'webhook'
  | 'account'
  | 'job'
  | 'conference'
  | 'conference_access'
  | 'conference_participant'
  | 'sip_subscriber'
  | 'api_key'
  | 'addressbook'
  | 'campaign';

const roundKeys = new Map<HashKind, number[]>();

function keysOf(kind: HashKind): number[] {
  let keys = roundKeys.get(kind);
  if (!keys) {
    const digest = createHash('sha256').update(`parley-callr-hash:${kind}`).digest();
    keys = [0, 1, 2, 3].map((round) => digest.readUInt16BE(round * 2));
    roundKeys.set(kind, keys);
  }
  return keys;
}

function round(half: number, key: number): number {
  // Any mixing function works in a Feistel network; this one spreads each bit over the half.
  let value = (half ^ key) & 0xffff;
  value = Math.imul(value, 0x9e37) & 0xffff;
  value ^= value >>> 7;
  value = Math.imul(value, 0x5bd1) & 0xffff;
  return value ^ (value >>> 9);
}

function permute(value: number, keys: number[]): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (const key of keys) [left, right] = [right, left ^ round(right, key)];
  return ((left << 16) | right) >>> 0;
}

function unpermute(value: number, keys: number[]): number {
  let left = value >>> 16;
  let right = value & 0xffff;
  for (const key of [...keys].reverse()) [left, right] = [right ^ round(left, key), left];
  return ((left << 16) | right) >>> 0;
}

export function encodeHash(kind: HashKind, id: number): string {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff)
    throw new RangeError(`id ${id} does not fit a hash`);
  return permute(id, keysOf(kind)).toString(16).toUpperCase().padStart(8, '0');
}

/** The id behind a hash of this kind; null for anything that is not eight hex digits. */
export function decodeHash(kind: HashKind, hash: string): number | null {
  if (!/^[0-9a-fA-F]{8}$/.test(hash)) return null;
  return unpermute(Number.parseInt(hash, 16), keysOf(kind));
}
