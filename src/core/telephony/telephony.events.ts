import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { TelephonyCallRow } from './telephony.tables.js';

/**
 * A finished call's detail record as events carry it (CONTRACT: the CALLR face renders
 * `CDR.Out` / `CDR.In` from it; add fields, never rename). Times are ISO strings; `answeredAt`
 * is null for a call nobody answered.
 */
export const cdrSnapshotSchema = z.object({
  callid: z.number(),
  accountId: z.number(),
  direction: z.enum(['IN', 'OUT']),
  kind: z.string(),
  appId: z.number().nullable(),
  appName: z.string(),
  packageName: z.string(),
  number: z.string(),
  cli: z.string(),
  cdrField: z.string(),
  dialStatus: z.string(),
  hangupCause: z.number(),
  hangupSource: z.string(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string(),
  /** Seconds: from dialling to the end; answered; billed (whole minutes). */
  duration: z.number(),
  durationAnswered: z.number(),
  durationBilled: z.number(),
  debitCents: z.number(),
  /** The calls-core row of an answered call. */
  callId: z.number().nullable(),
  clicktocallId: z.number().nullable(),
  /** Inbound: the DID's row (its hash is the CDR's `did_hash`). */
  didId: z.number().nullish(),
  /** A CALLTRACKING10 forward: the inbound call it continues. */
  parentCallId: z.number().nullish(),
});
export type CdrSnapshot = z.infer<typeof cdrSnapshotSchema>;

export const TELEPHONY_CALL_ENDED = 'telephony.call_ended';

export const telephonyCallEnded = defineEvent({
  type: TELEPHONY_CALL_ENDED,
  aggregateType: 'telephony_call',
  version: 1,
  description: 'A telephone call ended (answered or not); the payload is its call detail record.',
  payloadSchema: z.object({ call: cdrSnapshotSchema }),
});

function seconds(from: Date | null, to: Date | null): number {
  if (!from || !to) return 0;
  return Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
}

/** The CDR of a call row; a row not ended yet reads as if it ended at its last known time. */
export function snapshotCdr(row: TelephonyCallRow): CdrSnapshot {
  const started = row.startedAt ?? row.createdAt;
  const ended = row.endedAt ?? row.answeredAt ?? started;
  return {
    callid: row.id,
    accountId: row.accountId,
    direction: row.direction,
    kind: row.kind,
    appId: row.voiceAppId,
    appName: row.appName,
    packageName: row.packageName,
    number: row.number,
    cli: row.cli,
    cdrField: row.cdrField,
    dialStatus: row.dialStatus ?? 'NODIAL',
    hangupCause: row.hangupCause,
    hangupSource: row.hangupSource ?? 'GATEWAY',
    startedAt: started.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    endedAt: ended.toISOString(),
    duration: seconds(started, ended),
    durationAnswered: seconds(row.answeredAt, ended),
    durationBilled: row.durationBilled,
    debitCents: row.debitCents,
    callId: row.callId,
    clicktocallId: row.clicktocallId,
    didId: row.didId,
    parentCallId: row.parentCallId,
  };
}
