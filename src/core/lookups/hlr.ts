import { createHash } from 'node:crypto';
import { describeNumber } from './number-infos.js';
import { MOBILE_NETWORKS, type MobileNetwork } from './hlr-networks.js';

/**
 * HLR look-ups: asking a mobile number's home network whether the subscriber exists and is
 * reachable, and which network serves it now (after any porting).
 */

export type HlrStatus =
  /** The handset is registered: messages and calls reach it. */
  | 'reachable'
  /** The subscriber exists but the handset is off or out of coverage. */
  | 'absent'
  /** No such subscriber: not a valid mobile number, or not known to any network. */
  | 'invalid';

export interface HlrAnswer {
  number: string;
  status: HlrStatus;
  /** The network serving the number; null when it is invalid or its country is not covered. */
  network: MobileNetwork | null;
  /** Whether it moved away from the network its number range was given to. */
  isPorted: boolean;
}

/** The port a real HLR provider implements; the simulator answers without a network. */
export interface HlrProvider {
  readonly name: string;
  lookup(e164: string): Promise<HlrAnswer>;
}

const MOBILE_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Out of every this many valid numbers, one has been ported to another network. */
const PORTED_ONE_IN = 8;

/**
 * Answers from the number alone, always the same for one number: invalid when libphonenumber
 * says it is not a valid mobile number or it ends in 0001, absent when it ends in 0000 (as the SMS
 * simulator's special endings), otherwise reachable. The home network follows the number range
 * (its first national digits); a hash of the whole number ports some to another network.
 */
export function createHlrSimulator(): HlrProvider {
  return {
    name: 'simulator',
    lookup(e164) {
      return Promise.resolve(simulateHlr(e164));
    },
  };
}

function simulateHlr(e164: string): HlrAnswer {
  const facts = describeNumber(e164);
  const national = facts.nationalNumber.replace(/^0/, '');
  if (!facts.isValid || !MOBILE_TYPES.has(facts.type) || national.endsWith('0001')) {
    return { number: facts.e164, status: 'invalid', network: null, isPorted: false };
  }
  const status = national.endsWith('0000') ? 'absent' : 'reachable';
  const networks = MOBILE_NETWORKS[facts.countryCode] ?? [];
  if (networks.length === 0) return { number: facts.e164, status, network: null, isPorted: false };
  const range = digestOf(national.slice(0, 4));
  const home = range % networks.length;
  const whole = digestOf(national);
  const isPorted = networks.length > 1 && whole % PORTED_ONE_IN === 0;
  const serving = isPorted ? (home + 1 + ((whole >>> 8) % (networks.length - 1))) % networks.length : home;
  return { number: facts.e164, status, network: networks[serving] ?? null, isPorted };
}

function digestOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
