import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { DomainError } from '../errors.js';

/**
 * A timestamp column as PostgreSQL's own UTC text, to the microsecond. Keyset cursors resume
 * from it: a JavaScript Date keeps milliseconds only, and rows sharing one would be skipped or
 * repeated.
 */
export function exactUtc(column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Where a page ordered by (time, id) resumes; `at` is `exactUtc` text (null: a row without a time). */
export interface TimeCursor {
  at: string | null;
  id: number;
}

const EXACT_UTC = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const badCursor = () =>
  new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this list returned', [
    { path: 'cursor', message: 'is malformed; pass the nextCursor of the previous page' },
  ]);

/** Opaque to clients (base64url JSON), so its parts can change without breaking their code. */
export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.at, i: cursor.id })).toString('base64url');
}

/**
 * Refuses anything `encodeTimeCursor` did not produce before it can reach SQL (where it would be
 * a 500): a 422 naming `cursor`. A null time is accepted only where the list has rows without one.
 */
export function decodeTimeCursor(text: string, options: { allowsNullTime: true }): TimeCursor;
export function decodeTimeCursor(
  text: string,
  options?: { allowsNullTime: false },
): TimeCursor & { at: string };
export function decodeTimeCursor(text: string, options = { allowsNullTime: false }): TimeCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof value !== 'object' || value === null) throw badCursor();
  const { t, i } = value as { t?: unknown; i?: unknown };
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i <= 0) throw badCursor();
  if (t === null && options.allowsNullTime) return { at: null, id: i };
  if (typeof t !== 'string' || !EXACT_UTC.test(t)) throw badCursor();
  // A calendar-impossible date (Feb 31) passes the pattern; Date rolls it over, which shows.
  const milliseconds = `${t.slice(0, 23)}Z`;
  const parsed = new Date(milliseconds);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== milliseconds) throw badCursor();
  return { at: t, id: i };
}
