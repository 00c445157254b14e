import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { conversations, type ConversationPriority, type ConversationRow } from './conversations.tables.js';
import {
  conversationListOrder,
  conversationPageIds,
  type AssigneeType,
  type ConversationListFilters,
} from './list-conversations.js';

/**
 * Where a keyset page of the conversation list resumes: the last row's (lastActivityAt, id).
 * The time is kept as Postgres wrote it, to the microsecond: a JavaScript Date keeps only
 * milliseconds, and rows sharing a millisecond would then be skipped or repeated.
 */
export interface ConversationCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exact. */
  lastActivityAt: string;
  id: number;
}

const EXACT_UTC = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const badCursor = () =>
  new DomainError('VALIDATION_FAILED', 'cursor is not a cursor this list returned', [
    { path: 'cursor', message: 'is malformed; pass the nextCursor of the previous page' },
  ]);

/** Opaque to clients: base64url JSON, so its parts can change without breaking their code. */
export function encodeConversationCursor(cursor: ConversationCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.lastActivityAt, i: cursor.id })).toString('base64url');
}

/** Refuses anything this module did not produce, before it can reach SQL (where it would be a 500). */
export function decodeConversationCursor(text: string): ConversationCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof value !== 'object' || value === null) throw badCursor();
  const { t, i } = value as { t?: unknown; i?: unknown };
  if (typeof t !== 'string' || !EXACT_UTC.test(t)) throw badCursor();
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i <= 0) throw badCursor();
  // A calendar-impossible date (Feb 31) passes the pattern; Date rolls it over, which shows.
  const milliseconds = `${t.slice(0, 23)}Z`;
  const parsed = new Date(milliseconds);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString() !== milliseconds) throw badCursor();
  return { lastActivityAt: t, id: i };
}

/** The native list's narrowing beyond the core filters: one assignee, one priority (null = none). */
export function conversationNarrowing(options: {
  assigneeId?: number | undefined;
  priority?: ConversationPriority | null | undefined;
}): SQL | undefined {
  const conditions: SQL[] = [];
  if (options.assigneeId !== undefined) conditions.push(eq(conversations.assigneeId, options.assigneeId));
  if (options.priority === null) conditions.push(isNull(conversations.priority));
  else if (options.priority !== undefined) conditions.push(eq(conversations.priority, options.priority));
  return conditions.length ? and(...conditions) : undefined;
}

export interface ConversationKeysetOptions {
  filters: ConversationListFilters;
  assigneeType: AssigneeType;
  meUserId: number | null;
  limit: number;
  after: ConversationCursor | null;
}

export interface ConversationKeysetPage {
  rows: ConversationRow[];
  /** Where the next page starts; null on the last page. */
  next: ConversationCursor | null;
}

/**
 * One page of the conversation list after `after`, newest activity first, in ONE statement. It
 * goes through the core list's own filters (visibility, full-text `q`, labels...) with the
 * keyset as an extra condition, so both faces see the same conversations. One row more than
 * asked says whether another page exists.
 */
export async function listConversationsAfter(
  db: Db,
  accountId: number,
  options: ConversationKeysetOptions,
): Promise<ConversationKeysetPage> {
  const keyset = options.after
    ? sql`(${conversations.lastActivityAt}, ${conversations.id}) < (${options.after.lastActivityAt}::timestamptz, ${options.after.id})`
    : undefined;
  const ids = conversationPageIds(db, accountId, {
    filters: { ...options.filters, where: and(options.filters.where, keyset) },
    assigneeType: options.assigneeType,
    meUserId: options.meUserId,
    page: 1,
  })
    .$dynamic()
    .limit(options.limit + 1);
  const found = await db
    .select({
      row: conversations,
      exactActivity: sql<string>`to_char(${conversations.lastActivityAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, ids)))
    .orderBy(...conversationListOrder);
  const page = found.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((item) => item.row),
    next:
      found.length > options.limit && last ? { lastActivityAt: last.exactActivity, id: last.row.id } : null,
  };
}
