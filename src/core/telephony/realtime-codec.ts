/**
 * How REALTIME10 requests name apps and calls and write times. REALTIME10 is CALLR's protocol, so
 * the app wires in the CALLR face's codec (hashes, "YYYY-MM-DD HH:MM:SS"); the core may not import
 * faces. Without one (tools, tests of the core alone) plain ids and ISO times are used.
 */
export interface RealtimeCodec {
  appRef(appId: number | null): string;
  requestRef(telephonyCallId: number): string;
  dateTime(date: Date): string;
}

export const plainRealtimeCodec: RealtimeCodec = {
  appRef: (appId) => (appId === null ? '' : String(appId)),
  requestRef: (id) => String(id),
  dateTime: (date) => date.toISOString(),
};
