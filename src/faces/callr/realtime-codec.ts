import type { RealtimeCodec } from '../../core/telephony/realtime-codec.js';
import { callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/** REALTIME10 requests name apps and calls by CALLR hashes, with CALLR datetimes (wired in app.ts). */
export const callrRealtimeCodec: RealtimeCodec = {
  appRef: (appId) => (appId === null ? '' : encodeHash('app', appId)),
  requestRef: (id) => encodeHash('call', id),
  dateTime: callrDateTime,
};
