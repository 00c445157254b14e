import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { exactUtc, type TimeCursor } from '../../platform/db/time-cursor.js';
import { conversations, type ConversationPriority, type ConversationRow } from './conversations.tables.js';
import {
  conversationListOrder,
  conversationPageIds,
  type AssigneeType,
  type ConversationListFilters,
} from './list-conversations.js';

/**
 * Where a keyset page of the conversation list resumes: the last row's (lastActivityAt, id), the
 * time as `exactUtc` text (see time-cursor.ts); encoded and checked by `encodeTimeCursor` and
 * `decodeTimeCursor`.
 */
export type ConversationCursor = TimeCursor & { at: string };

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
    ? sql`(${conversations.lastActivityAt}, ${conversations.id}) < (${options.after.at}::timestamptz, ${options.after.id})`
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
      exactActivity: exactUtc(conversations.lastActivityAt),
    })
    .from(conversations)
    .where(and(eq(conversations.accountId, accountId), inArray(conversations.id, ids)))
    .orderBy(...conversationListOrder);
  const page = found.slice(0, options.limit);
  const last = page.at(-1);
  return {
    rows: page.map((item) => item.row),
    next: found.length > options.limit && last ? { at: last.exactActivity, id: last.row.id } : null,
  };
}
