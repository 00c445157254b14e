import type { PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { packageInfo } from '../../core/voice-apps/voice-app-options.js';
import type { VoiceAppPackage, VoiceAppRow } from '../../core/voice-apps/voice-apps.tables.js';
import { toCallrDid, type CallrDid } from './did.map.js';
import { callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/** CALLR's `App.Package`. */
export interface CallrAppPackage {
  has_did: boolean;
  name: VoiceAppPackage;
  type: 'REALTIME' | 'CLICKTOCALL' | 'CALLTRACKING';
}

/** CALLR's `App` (a voice app). */
export interface CallrApp {
  date_creation: string;
  date_update: string;
  did: CallrDid[];
  hash: string;
  name: string;
  /** The package's options object (REALTIME10, CLICKTOCALL10, CALLTRACKING10 or ACTIONS10), normalized. */
  p: Record<string, unknown>;
  package: CallrAppPackage;
}

export function toCallrAppPackage(pkg: VoiceAppPackage): CallrAppPackage {
  const info = packageInfo[pkg];
  return { has_did: info.hasDid, name: pkg, type: info.type };
}

/** `numbers`: the DIDs assigned to the app, or none when the caller did not ask for them. */
export function toCallrApp(row: VoiceAppRow, numbers: readonly PhoneNumberRow[]): CallrApp {
  return {
    date_creation: callrDateTime(row.createdAt),
    date_update: callrDateTime(row.updatedAt),
    did: numbers.map(toCallrDid),
    hash: encodeHash('app', row.id),
    name: row.name,
    p: row.options,
    package: toCallrAppPackage(row.package),
  };
}
