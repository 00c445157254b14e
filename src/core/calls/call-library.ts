import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { parsedJson, type Db } from '../../platform/db/database.js';
import { exactUtc, type TimeCursor } from '../../platform/db/time-cursor.js';
import { users } from '../identity/identity.tables.js';
import { callHighlights, calls, callTags, callTopics, type CallRow } from './calls.tables.js';
import { loadNamedSegments } from './pipeline/summarize-call.js';

/**
 * The calls library: a keyset-paged list of an account's calls (newest start first) with the
 * few relations a list row shows, and one call with its transcript, highlights and topics.
 */

export interface CallListFilters {
  userId?: number | undefined;
  /** Calls that started at or after this instant. */
  from?: Date | undefined;
  /** Calls that started at or before this instant. */
  to?: Date | undefined;
  tagId?: number | undefined;
}

/**
 * Where a page resumes: the last row's (startedAt, id), the time as `exactUtc` text (see
 * time-cursor.ts); null for a call without a start time, which sorts first, as a descending index
 * scan gives it.
 */
export type CallCursor = TimeCursor;

export interface CallRelations {
  user: { id: number; name: string } | null;
  tags: { id: number; name: string; color: string }[];
  contacts: { id: number; name: string }[];
}

export interface CallListItem extends CallRelations {
  call: CallRow;
}

function filterConditions(accountId: number, filters: CallListFilters): SQL | undefined {
  return and(
    eq(calls.accountId, accountId),
    filters.userId === undefined ? undefined : eq(calls.userId, filters.userId),
    filters.from === undefined ? undefined : gte(calls.startedAt, filters.from),
    filters.to === undefined ? undefined : lte(calls.startedAt, filters.to),
    filters.tagId === undefined
      ? undefined
      : sql`exists (select 1 from call_tag_links l where l.account_id = ${accountId} and l.call_id = "calls"."id" and l.tag_id = ${filters.tagId})`,
  );
}

/** Rows after the cursor in (startedAt DESC NULLS FIRST, id DESC) order. */
function keysetCondition(after: CallCursor | null): SQL | undefined {
  if (after === null) return undefined;
  if (after.at === null) {
    return or(and(isNull(calls.startedAt), sql`${calls.id} < ${after.id}`), isNotNull(calls.startedAt));
  }
  return and(
    isNotNull(calls.startedAt),
    sql`(${calls.startedAt}, ${calls.id}) < (${after.at}::timestamptz, ${after.id})`,
  );
}

/**
 * One page of the library in two statements: the page (with each call's user, joined) and the
 * page's tags and contacts. One row more than asked says whether another page exists.
 */
export async function listCallsAfter(
  db: Db,
  accountId: number,
  options: { filters: CallListFilters; limit: number; after: CallCursor | null },
): Promise<{ items: CallListItem[]; next: CallCursor | null }> {
  const found = await db
    .select({
      call: calls,
      userName: users.name,
      exactStart: sql<string | null>`${exactUtc(calls.startedAt)}`,
    })
    .from(calls)
    .leftJoin(users, eq(users.id, calls.userId))
    .where(and(filterConditions(accountId, options.filters), keysetCondition(options.after)))
    // DESC sorts nulls first in PostgreSQL: the (account, started_at, id) index read backwards.
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(options.limit + 1);
  const page = found.slice(0, options.limit);
  const related = await loadTagsAndContacts(
    db,
    accountId,
    page.map((row) => row.call.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      call: row.call,
      user: userOf(row.call, row.userName),
      tags: related.get(row.call.id)?.tags ?? [],
      contacts: related.get(row.call.id)?.contacts ?? [],
    })),
    next: found.length > options.limit && last ? { at: last.exactStart, id: last.call.id } : null,
  };
}

function userOf(call: CallRow, name: string | null): CallRelations['user'] {
  return call.userId === null || name === null ? null : { id: call.userId, name };
}

/** A json array the query aggregated (see `parsedJson`); none when the aggregate was null. */
function jsonArray<T>(value: unknown): T[] {
  const parsed = parsedJson(value);
  return Array.isArray(parsed) ? (parsed as T[]) : [];
}

/** Tags and contacts of several calls in ONE statement (two correlated json aggregates). */
async function loadTagsAndContacts(
  db: Db,
  accountId: number,
  callIds: number[],
): Promise<Map<number, Pick<CallRelations, 'tags' | 'contacts'>>> {
  if (callIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: calls.id,
      // Written with aliases: drizzle leaves columns unqualified in a one-table select, and
      // "id" would be ambiguous inside the subqueries.
      tags: sql<unknown>`coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) order by t.name, t.id) from call_tag_links l join call_tags t on t.id = l.tag_id where l.account_id = ${accountId} and l.call_id = "calls"."id"), '[]'::json)`,
      contacts: sql<unknown>`coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name) order by cc.position) from call_contacts cc join contacts p on p.id = cc.contact_id where cc.account_id = ${accountId} and cc.call_id = "calls"."id"), '[]'::json)`,
    })
    .from(calls)
    .where(and(eq(calls.accountId, accountId), inArray(calls.id, callIds)));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        tags: jsonArray<{ id: number | string; name: string; color: string }>(row.tags).map((tag) => ({
          ...tag,
          id: Number(tag.id),
        })),
        contacts: jsonArray<{ id: number | string; name: string }>(row.contacts).map((contact) => ({
          ...contact,
          id: Number(contact.id),
        })),
      },
    ]),
  );
}

export interface CallDetail extends CallListItem {
  transcript: {
    speakerId: number | null;
    speaker: string;
    startSeconds: number;
    endSeconds: number;
    text: string;
  }[];
  highlights: {
    speakerId: number | null;
    speaker: string | null;
    startSeconds: number;
    endSeconds: number;
    text: string;
  }[];
  topics: { name: string; score: number; startSeconds: number | null }[];
}

/** One call with everything its page shows: relations, named transcript, highlights, topics. */
export async function loadCallDetail(db: Db, call: CallRow): Promise<CallDetail> {
  const [userRows, related, transcript, highlightRows, topics] = await Promise.all([
    call.userId === null
      ? Promise.resolve([])
      : db.select({ name: users.name }).from(users).where(eq(users.id, call.userId)),
    loadTagsAndContacts(db, call.accountId, [call.id]),
    loadNamedSegments(db, call),
    db
      .select({
        speakerId: callHighlights.speakerId,
        startSeconds: callHighlights.startSeconds,
        endSeconds: callHighlights.endSeconds,
        text: callHighlights.text,
      })
      .from(callHighlights)
      .where(and(eq(callHighlights.accountId, call.accountId), eq(callHighlights.callId, call.id)))
      .orderBy(asc(callHighlights.startSeconds), asc(callHighlights.id)),
    db
      .select({ name: callTopics.name, score: callTopics.score, startSeconds: callTopics.startSeconds })
      .from(callTopics)
      .where(and(eq(callTopics.accountId, call.accountId), eq(callTopics.callId, call.id)))
      .orderBy(asc(callTopics.id)),
  ]);
  const speakerNames = new Map(transcript.map((segment) => [segment.speakerId, segment.speaker]));
  return {
    call,
    user: userOf(call, userRows[0]?.name ?? null),
    tags: related.get(call.id)?.tags ?? [],
    contacts: related.get(call.id)?.contacts ?? [],
    transcript,
    highlights: highlightRows.map((row) => ({
      ...row,
      speaker: row.speakerId === null ? null : (speakerNames.get(row.speakerId) ?? null),
    })),
    topics,
  };
}

/** The account's call tags, for the library's filter. */
export async function listCallTags(db: Db, accountId: number) {
  return db
    .select({ id: callTags.id, name: callTags.name, color: callTags.color })
    .from(callTags)
    .where(eq(callTags.accountId, accountId))
    .orderBy(asc(callTags.name), asc(callTags.id));
}
