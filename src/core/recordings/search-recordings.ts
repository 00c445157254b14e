import { and, desc, eq, gte, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { calls } from '../calls/calls.tables.js';
import { telephonyCalls } from '../telephony/telephony.tables.js';
import {
  countRecordings,
  externalIdOfCdr,
  hasStatus,
  isRecording,
  selectRecordings,
  toRecording,
  type Recording,
  type RecordingStatus,
  type RecordingType,
} from './recording-query.js';
import { recordingReads } from './recordings.tables.js';

/** CALLR's `Media.Recording.SearchFilters`, in the core's terms; every one narrows the result. */
export interface RecordingFilters {
  id?: number | undefined;
  callid?: number | undefined;
  cli?: string | undefined;
  dateFrom?: Date | undefined;
  dateTo?: Date | undefined;
  minDurationSeconds?: number | undefined;
  isRead?: boolean | undefined;
  readFrom?: Date | undefined;
  readTo?: Date | undefined;
  status?: RecordingStatus | undefined;
  type?: RecordingType | undefined;
}

export const MAX_RECORDINGS_PAGE = 500;

const c = calls;
const r = recordingReads;

function filterConditions(accountId: number, filters: RecordingFilters): SQL | undefined {
  return and(
    isRecording(accountId),
    filters.id === undefined ? undefined : eq(c.id, filters.id),
    filters.callid === undefined ? undefined : eq(c.externalId, externalIdOfCdr(filters.callid)),
    filters.cli === undefined ? undefined : eq(telephonyCalls.cli, filters.cli),
    filters.dateFrom ? gte(c.startedAt, filters.dateFrom) : undefined,
    filters.dateTo ? lte(c.startedAt, filters.dateTo) : undefined,
    filters.minDurationSeconds === undefined
      ? undefined
      : sql`round(coalesce(${c.recordingDurationSeconds}, ${c.durationSeconds})) >= ${filters.minDurationSeconds}`,
    filters.isRead === undefined ? undefined : filters.isRead ? isNotNull(r.callId) : isNull(r.callId),
    filters.readFrom ? gte(r.readAt, filters.readFrom) : undefined,
    filters.readTo ? lte(r.readAt, filters.readTo) : undefined,
    filters.status ? hasStatus(filters.status) : undefined,
    // Every recording Parley has is a call's.
    filters.type && filters.type !== 'CALL' ? sql`false` : undefined,
  );
}

/**
 * One page of the account's recordings, newest first, and how many match. `after` is the id of the
 * last recording of the previous page: the page continues from it along (date, id), one range of
 * the calls' (account, start) index however deep; `offset` skips from there (CALLR's paging).
 */
export async function searchRecordings(
  db: Db,
  accountId: number,
  filters: RecordingFilters,
  page: { limit: number; offset: number; after?: number | undefined },
): Promise<{ items: Recording[]; total: number }> {
  const where = filterConditions(accountId, filters);
  const after = page.after === undefined ? undefined : await getRecording(db, accountId, page.after);
  const rows = await selectRecordings(db)
    .where(
      and(
        where,
        after
          ? or(lt(c.startedAt, after.date), and(eq(c.startedAt, after.date), lt(c.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(c.startedAt), desc(c.id))
    .limit(page.limit)
    .offset(page.offset);
  const [count] = await countRecordings(db).where(where);
  return { items: rows.map(toRecording), total: count?.total ?? 0 };
}

export async function findRecording(db: Db, accountId: number, id: number): Promise<Recording | null> {
  const [row] = await selectRecordings(db).where(and(isRecording(accountId), eq(c.id, id)));
  return row ? toRecording(row) : null;
}

export async function getRecording(db: Db, accountId: number, id: number): Promise<Recording> {
  const recording = await findRecording(db, accountId, id);
  if (!recording) throw notFound('Recording');
  return recording;
}
