import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { calls } from '../calls/calls.tables.js';
import { hasStatus, isRecording } from './recording-query.js';
import { recordingReads } from './recordings.tables.js';

/** The account's recordings counted by status, read mark, size and length: one aggregate. */
export interface RecordingTally {
  byStatus: { ERROR: number; PENDING: number; PROCESSING: number; READY: number };
  ready: { count: number; read: number; sizeBytes: number; durationSeconds: number };
  all: { count: number; read: number };
}

const c = calls;
const r = recordingReads;

export async function tallyRecordings(db: Db, accountId: number): Promise<RecordingTally> {
  const [row] = await db
    .select({
      error: sql<number>`count(*) FILTER (WHERE ${hasStatus('ERROR')})::int`,
      pending: sql<number>`count(*) FILTER (WHERE ${hasStatus('PENDING')})::int`,
      processing: sql<number>`count(*) FILTER (WHERE ${hasStatus('PROCESSING')})::int`,
      ready: sql<number>`count(*) FILTER (WHERE ${hasStatus('READY')})::int`,
      readyRead: sql<number>`count(${r.callId}) FILTER (WHERE ${hasStatus('READY')})::int`,
      readySize: sql<number>`coalesce(sum(${c.recordingSize}) FILTER (WHERE ${hasStatus('READY')}), 0)::float8`,
      readySeconds: sql<number>`coalesce(sum(round(coalesce(${c.recordingDurationSeconds}, ${c.durationSeconds}))) FILTER (WHERE ${hasStatus('READY')}), 0)::float8`,
      count: sql<number>`count(*)::int`,
      read: sql<number>`count(${r.callId})::int`,
    })
    .from(c)
    .leftJoin(r, eq(r.callId, c.id))
    .where(isRecording(accountId));
  return {
    byStatus: {
      ERROR: row?.error ?? 0,
      PENDING: row?.pending ?? 0,
      PROCESSING: row?.processing ?? 0,
      READY: row?.ready ?? 0,
    },
    ready: {
      count: row?.ready ?? 0,
      read: row?.readyRead ?? 0,
      sizeBytes: row?.readySize ?? 0,
      durationSeconds: row?.readySeconds ?? 0,
    },
    all: { count: row?.count ?? 0, read: row?.read ?? 0 },
  };
}
