import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { calls } from '../calls/calls.tables.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { telephonyCalls } from '../telephony/telephony.tables.js';
import { recordingReads } from './recordings.tables.js';

/**
 * A recording is a calls-core call that has, or is getting, its audio: READY once stored, PENDING
 * while the upload link waits, PROCESSING while it downloads, ERROR when that failed. Calls with no
 * audio (the carrier simulator records nothing) and deleted recordings are not recordings. Its id is
 * the call's. A call placed by the telephony core also carries its CDR: callid, app, caller id and,
 * for an inbound call, the DID.
 */

export const recordingStatuses = ['ERROR', 'PENDING', 'PROCESSING', 'READY', 'RECORDING'] as const;
export type RecordingStatus = (typeof recordingStatuses)[number];

/** Parley records calls only; voicemail and standalone recordings do not exist yet. */
export const recordingTypes = ['CALL', 'RECORDING', 'VOICEMAIL'] as const;
export type RecordingType = (typeof recordingTypes)[number];

const c = calls;
const r = recordingReads;
const t = telephonyCalls;
const p = phoneNumbers;

const pendingStates = ['pending_upload', 'pending_download'] as const;

/** Which calls are recordings (see above). */
export function isRecording(accountId: number): SQL | undefined {
  return and(
    eq(c.accountId, accountId),
    isNull(c.recordingDeletedAt),
    isNotNull(c.startedAt),
    or(isNotNull(c.recordingKey), inArray(c.state, [...pendingStates, 'failed'])),
  );
}

/** The calls of one status, among recordings. */
export function hasStatus(status: RecordingStatus): SQL | undefined {
  switch (status) {
    case 'READY':
      return isNotNull(c.recordingKey);
    case 'PENDING':
      return and(isNull(c.recordingKey), eq(c.state, 'pending_upload'));
    case 'PROCESSING':
      return and(isNull(c.recordingKey), eq(c.state, 'pending_download'));
    case 'ERROR':
      return and(isNull(c.recordingKey), eq(c.state, 'failed'));
    case 'RECORDING':
      return sql`false`;
  }
}

/** The telephony call behind a call, found through the id the telephony core gives it. */
const telephonyIdOfCall = sql`CASE WHEN ${c.externalId} ~ '^telephony-[0-9]{1,15}$' THEN substr(${c.externalId}, 11)::bigint END`;

/** The `external_id` the telephony core gives the call of a CDR (see telephony-engine.ts). */
export function externalIdOfCdr(callid: number): string {
  return `telephony-${callid}`;
}

const columns = {
  callId: c.id,
  startedAt: c.startedAt,
  state: c.state,
  recordingKey: c.recordingKey,
  recordingSize: c.recordingSize,
  recordingDurationSeconds: c.recordingDurationSeconds,
  durationSeconds: c.durationSeconds,
  language: c.language,
  transcriptionEngine: c.transcriptionEngine,
  readAt: r.readAt,
  telephonyCallId: t.id,
  direction: t.direction,
  appId: t.voiceAppId,
  appName: t.appName,
  cli: t.cli,
  didId: p.id,
  didNumber: p.number,
};

/** Recordings with their read mark, CDR and DID: one query, the joins on primary and unique keys. */
export function selectRecordings(db: Db) {
  return db
    .select(columns)
    .from(c)
    .leftJoin(r, eq(r.callId, c.id))
    .leftJoin(t, and(eq(t.accountId, c.accountId), eq(t.id, telephonyIdOfCall), eq(t.callId, c.id)))
    .leftJoin(p, and(eq(p.accountId, c.accountId), eq(t.direction, 'IN'), eq(p.number, t.number)));
}

/** For filters on the CDR (caller id): the same join, for a count. */
export function countRecordings(db: Db) {
  return db
    .select({ total: sql<number>`count(*)::int` })
    .from(c)
    .leftJoin(r, eq(r.callId, c.id))
    .leftJoin(t, and(eq(t.accountId, c.accountId), eq(t.id, telephonyIdOfCall), eq(t.callId, c.id)));
}

type RecordingRow = Awaited<ReturnType<ReturnType<typeof selectRecordings>['execute']>>[number];

export interface Recording {
  id: number;
  date: Date;
  status: RecordingStatus;
  type: RecordingType;
  durationSeconds: number;
  sizeBytes: number;
  /** The stored file's key and extension; null until READY. */
  blobKey: string | null;
  extension: string | null;
  language: string | null;
  isTranscribed: boolean;
  readAt: Date | null;
  cdr: { callid: number; appId: number | null; appName: string; cli: string } | null;
  did: { id: number; number: string } | null;
}

function statusOf(row: RecordingRow): RecordingStatus {
  if (row.recordingKey !== null) return 'READY';
  if (row.state === 'pending_upload') return 'PENDING';
  if (row.state === 'pending_download') return 'PROCESSING';
  return 'ERROR';
}

export function toRecording(row: RecordingRow): Recording {
  const key = row.recordingKey;
  return {
    id: row.callId,
    date: row.startedAt ?? new Date(0),
    status: statusOf(row),
    type: 'CALL',
    durationSeconds: Math.round(row.recordingDurationSeconds ?? row.durationSeconds),
    sizeBytes: row.recordingSize ?? 0,
    blobKey: key,
    extension: key === null ? null : (/\.([a-z0-9]+)$/.exec(key)?.[1] ?? null),
    language: row.language,
    isTranscribed: row.transcriptionEngine !== null,
    readAt: row.readAt,
    cdr:
      row.telephonyCallId === null
        ? null
        : { callid: row.telephonyCallId, appId: row.appId, appName: row.appName ?? '', cli: row.cli ?? '' },
    did: row.didId === null || row.didNumber === null ? null : { id: row.didId, number: row.didNumber },
  };
}
