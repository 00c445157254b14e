import { and, asc, desc, eq, gte, inArray, isNotNull, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { contacts } from '../contacts/contacts.tables.js';
import { users } from '../identity/identity.tables.js';
import {
  callContacts,
  callHighlights,
  calls,
  callSpeakers,
  callTagLinks,
  callTags,
  callTopics,
  transcriptSegments,
  type CallRow,
} from './calls.tables.js';

export const exportRelations = [
  'recording',
  'contacts',
  'users',
  'tags',
  'transcript',
  'speakers',
  'summary',
  'highlights',
  'topics',
] as const;
export type ExportRelation = (typeof exportRelations)[number];

export interface ExportCallsQuery {
  accountId: number;
  page: number;
  perPage: number;
  filters: {
    startedBetween?: { start: Date; end: Date } | undefined;
    minimumDurationSeconds?: number | undefined;
    titleContains?: string | undefined;
    callIds?: number[] | undefined;
    isRecordingDeleted?: boolean | undefined;
  };
  relations: ReadonlySet<ExportRelation>;
}

export interface ExportedContact {
  id: number;
  name: string;
  email: string | null;
  phoneNumber: string | null;
  identifier: string | null;
  additionalAttributes: Record<string, unknown>;
}

export interface ExportedSpeaker {
  id: number;
  kind: 'user' | 'contact' | 'unknown';
  userId: number | null;
  userName: string | null;
  userEmail: string | null;
  contact: ExportedContact | null;
}

export interface ExportedCall {
  call: CallRow;
  contacts?: ExportedContact[];
  users?: { id: number; name: string; email: string }[];
  tags?: { id: number; name: string; color: string; providerTagId: string | null }[];
  transcript?: { speakerId: number | null; startSeconds: number; endSeconds: number; text: string }[];
  speakers?: ExportedSpeaker[];
  highlights?: { speakerId: number | null; startSeconds: number; endSeconds: number; text: string }[];
  topics?: { name: string; score: number; startSeconds: number | null }[];
}

// Calls whose recording never arrived are not calls yet, as far as an export is concerned.
const NOT_EXPORTED_STATES = ['pending_upload', 'pending_download', 'failed'] as const;

function conditionsOf(query: ExportCallsQuery): SQL | undefined {
  const { filters } = query;
  return and(
    eq(calls.accountId, query.accountId),
    notInArray(calls.state, [...NOT_EXPORTED_STATES]),
    filters.startedBetween ? gte(calls.startedAt, filters.startedBetween.start) : undefined,
    filters.startedBetween ? lte(calls.startedAt, filters.startedBetween.end) : undefined,
    filters.minimumDurationSeconds === undefined
      ? undefined
      : gte(calls.durationSeconds, filters.minimumDurationSeconds),
    filters.titleContains === undefined
      ? undefined
      : sql`${calls.title} ILIKE ${`%${escapeLike(filters.titleContains)}%`}`,
    filters.callIds === undefined ? undefined : inArray(calls.id, filters.callIds),
    filters.isRecordingDeleted ? isNotNull(calls.recordingDeletedAt) : undefined,
  );
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * One page of an account's calls, newest first, with the requested relations loaded in one query
 * per relation for the whole page (never one per call).
 */
export async function exportCalls(
  db: Db,
  query: ExportCallsQuery,
): Promise<{ total: number; items: ExportedCall[] }> {
  const where = conditionsOf(query);
  const [counted] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(calls)
    .where(where);
  const rows = await db
    .select()
    .from(calls)
    .where(where)
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(query.perPage)
    .offset((query.page - 1) * query.perPage);
  const items: ExportedCall[] = rows.map((call) => ({ call }));
  if (rows.length > 0) await loadRelations(db, query, items);
  return { total: counted?.total ?? 0, items };
}

function groupBy<T>(rows: T[], keyOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

const contactColumns = {
  id: contacts.id,
  name: contacts.name,
  email: contacts.email,
  phoneNumber: contacts.phoneNumber,
  identifier: contacts.identifier,
  additionalAttributes: contacts.additionalAttributes,
};

async function loadRelations(db: Db, query: ExportCallsQuery, items: ExportedCall[]): Promise<void> {
  const { accountId, relations } = query;
  const ids = items.map((item) => item.call.id);
  const has = (relation: ExportRelation) => relations.has(relation);
  if (has('contacts')) {
    const rows = await db
      .select({ callId: callContacts.callId, ...contactColumns })
      .from(callContacts)
      .innerJoin(contacts, eq(contacts.id, callContacts.contactId))
      .where(and(eq(callContacts.accountId, accountId), inArray(callContacts.callId, ids)))
      .orderBy(asc(callContacts.callId), asc(callContacts.position));
    const byCall = groupBy(rows, (row) => row.callId);
    for (const item of items)
      item.contacts = (byCall.get(item.call.id) ?? []).map(({ callId: _c, ...contact }) => contact);
  }
  if (has('users')) {
    const userIds = [
      ...new Set(items.flatMap((item) => (item.call.userId === null ? [] : [item.call.userId]))),
    ];
    const rows =
      userIds.length === 0
        ? []
        : await db
            .select({ id: users.id, name: users.name, email: users.email })
            .from(users)
            .where(inArray(users.id, userIds));
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const item of items) {
      const user = item.call.userId === null ? undefined : byId.get(item.call.userId);
      item.users = user ? [user] : [];
    }
  }
  if (has('tags')) {
    const rows = await db
      .select({
        callId: callTagLinks.callId,
        id: callTags.id,
        name: callTags.name,
        color: callTags.color,
        providerTagId: callTags.providerTagId,
      })
      .from(callTagLinks)
      .innerJoin(callTags, eq(callTags.id, callTagLinks.tagId))
      .where(and(eq(callTagLinks.accountId, accountId), inArray(callTagLinks.callId, ids)))
      .orderBy(asc(callTags.id));
    const byCall = groupBy(rows, (row) => row.callId);
    for (const item of items)
      item.tags = (byCall.get(item.call.id) ?? []).map(({ callId: _c, ...tag }) => tag);
  }
  if (has('transcript')) {
    const rows = await db
      .select({
        callId: transcriptSegments.callId,
        speakerId: transcriptSegments.speakerId,
        startSeconds: transcriptSegments.startSeconds,
        endSeconds: transcriptSegments.endSeconds,
        text: transcriptSegments.text,
      })
      .from(transcriptSegments)
      .where(and(eq(transcriptSegments.accountId, accountId), inArray(transcriptSegments.callId, ids)))
      .orderBy(
        asc(transcriptSegments.callId),
        asc(transcriptSegments.startSeconds),
        asc(transcriptSegments.id),
      );
    const byCall = groupBy(rows, (row) => row.callId);
    for (const item of items)
      item.transcript = (byCall.get(item.call.id) ?? []).map(({ callId: _c, ...segment }) => segment);
  }
  if (has('speakers')) await loadSpeakers(db, accountId, ids, items);
  if (has('highlights')) {
    const rows = await db
      .select({
        callId: callHighlights.callId,
        speakerId: callHighlights.speakerId,
        startSeconds: callHighlights.startSeconds,
        endSeconds: callHighlights.endSeconds,
        text: callHighlights.text,
      })
      .from(callHighlights)
      .where(and(eq(callHighlights.accountId, accountId), inArray(callHighlights.callId, ids)))
      .orderBy(asc(callHighlights.callId), asc(callHighlights.id));
    const byCall = groupBy(rows, (row) => row.callId);
    for (const item of items)
      item.highlights = (byCall.get(item.call.id) ?? []).map(({ callId: _c, ...highlight }) => highlight);
  }
  if (has('topics')) {
    const rows = await db
      .select({
        callId: callTopics.callId,
        name: callTopics.name,
        score: callTopics.score,
        startSeconds: callTopics.startSeconds,
      })
      .from(callTopics)
      .where(and(eq(callTopics.accountId, accountId), inArray(callTopics.callId, ids)))
      .orderBy(asc(callTopics.callId), asc(callTopics.id));
    const byCall = groupBy(rows, (row) => row.callId);
    for (const item of items)
      item.topics = (byCall.get(item.call.id) ?? []).map(({ callId: _c, ...topic }) => topic);
  }
}

async function loadSpeakers(db: Db, accountId: number, ids: number[], items: ExportedCall[]): Promise<void> {
  const rows = await db
    .select({
      callId: callSpeakers.callId,
      id: callSpeakers.id,
      kind: callSpeakers.kind,
      userId: callSpeakers.userId,
      userName: users.name,
      userEmail: users.email,
      contactId: contacts.id,
      contactName: contacts.name,
      contactEmail: contacts.email,
      contactPhoneNumber: contacts.phoneNumber,
      contactIdentifier: contacts.identifier,
      contactAttributes: contacts.additionalAttributes,
    })
    .from(callSpeakers)
    .leftJoin(users, eq(users.id, callSpeakers.userId))
    .leftJoin(contacts, eq(contacts.id, callSpeakers.contactId))
    .where(and(eq(callSpeakers.accountId, accountId), inArray(callSpeakers.callId, ids)))
    .orderBy(asc(callSpeakers.callId), asc(callSpeakers.id));
  const byCall = groupBy(rows, (row) => row.callId);
  for (const item of items) {
    item.speakers = (byCall.get(item.call.id) ?? []).map((row) => ({
      id: row.id,
      kind: row.kind,
      userId: row.userId,
      userName: row.userName,
      userEmail: row.userEmail,
      contact:
        row.contactId === null
          ? null
          : {
              id: row.contactId,
              name: row.contactName ?? '',
              email: row.contactEmail,
              phoneNumber: row.contactPhoneNumber,
              identifier: row.contactIdentifier,
              additionalAttributes: row.contactAttributes ?? {},
            },
    }));
  }
}
