import { and, eq, inArray, isNotNull, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { builtOncePerVariant } from '../../platform/db/built-once.js';
import type { Db } from '../../platform/db/database.js';
import { fixedLimit } from '../../platform/db/named-statements.js';
import { contacts } from '../contacts/contacts.tables.js';
import { textQuery } from '../search/text-query.js';
import { inboxMembers } from '../inboxes/inboxes.tables.js';
import {
  conversations,
  conversationTallies,
  messages,
  type ConversationRow,
  type ConversationStatus,
} from './conversations.tables.js';

export const CONVERSATIONS_PER_PAGE = 25;

export type AssigneeType = 'me' | 'unassigned' | 'assigned' | 'all';

export interface ConversationListFilters {
  status?: ConversationStatus | 'all' | undefined;
  inboxId?: number | undefined;
  teamId?: number | undefined;
  /** Any of these labels (Chatwoot's tagged_with any). */
  labels?: string[] | undefined;
  /** Searched in message content (full text, words as prefixes) and the contact's name. */
  q?: string | undefined;
  /** Agents see only the inboxes they answer, as in Chatwoot; null for administrators. */
  visibleToUserId?: number | null | undefined;
  /** An extra condition, e.g. a saved filter's WHERE. */
  where?: SQL | undefined;
}

export interface ConversationCounts {
  mine: number;
  unassigned: number;
  assigned: number;
  all: number;
}

/** A value of a statement: given, or a placeholder in a statement built once (`builtOnce`). */
type Bound<T> = T | Placeholder;

/** The filters as the WHERE takes them; a statement built once names its values as placeholders. */
interface WhereFilters extends Omit<ConversationListFilters, 'status' | 'inboxId' | 'visibleToUserId'> {
  status?: Bound<ConversationStatus> | 'all' | undefined;
  inboxId?: Bound<number> | undefined;
  visibleToUserId?: Bound<number> | null | undefined;
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** The inboxes an agent answers, as a subquery: agents see only those conversations. */
function inboxesOfMember(accountId: Bound<number>, userId: Bound<number>): SQL {
  return sql`(SELECT ${inboxMembers.inboxId} FROM ${inboxMembers} WHERE ${inboxMembers.accountId} = ${accountId}
    AND ${inboxMembers.userId} = ${userId})`;
}

function filterWhere(accountId: Bound<number>, filters: WhereFilters): SQL {
  const conditions: (SQL | undefined)[] = [eq(conversations.accountId, accountId)];
  if (filters.status && filters.status !== 'all') conditions.push(eq(conversations.status, filters.status));
  if (filters.inboxId !== undefined) conditions.push(eq(conversations.inboxId, filters.inboxId));
  if (filters.teamId !== undefined) conditions.push(eq(conversations.teamId, filters.teamId));
  if (filters.labels?.length) {
    conditions.push(
      sql`${conversations.labels} && ARRAY[${sql.join(
        filters.labels.map((label) => sql`${label}`),
        sql`, `,
      )}]::text[]`,
    );
  }
  const q = filters.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    // Message text goes through the (account_id, content_tsv) GIN index instead of an ILIKE scan.
    conditions.push(sql`(${conversations.id} IN (
      SELECT ${messages.conversationId} FROM ${messages} WHERE ${messages.accountId} = ${accountId}
        AND ${messages.contentTsv} @@ ${textQuery(q)}
    ) OR EXISTS (
      SELECT 1 FROM ${contacts} WHERE ${contacts.accountId} = ${accountId}
        AND ${contacts.id} = ${conversations.contactId} AND ${contacts.name} ILIKE ${pattern}
    ))`);
  }
  if (filters.visibleToUserId != null) {
    conditions.push(inArray(conversations.inboxId, inboxesOfMember(accountId, filters.visibleToUserId)));
  }
  if (filters.where) conditions.push(filters.where);
  return and(...conditions) ?? sql`true`;
}

function assigneeWhere(assigneeType: AssigneeType, meUserId: Bound<number> | null): SQL | undefined {
  switch (assigneeType) {
    case 'me':
      // A token that is not a person (account API key) has no conversations of its own.
      return meUserId === null ? sql`false` : eq(conversations.assigneeId, meUserId);
    case 'unassigned':
      return isNull(conversations.assigneeId);
    case 'assigned':
      return isNotNull(conversations.assigneeId);
    case 'all':
      return undefined;
  }
}

export interface ConversationListOptions {
  filters: ConversationListFilters;
  assigneeType: AssigneeType;
  meUserId: number | null;
  page: number;
}

/** Last activity, newest first, id breaking ties (NULLS LAST matches the indexes). */
export const conversationListOrder = [
  sql`${conversations.lastActivityAt} DESC NULLS LAST`,
  sql`${conversations.id} DESC NULLS LAST`,
];

function pageIdsQuery(
  db: Db,
  accountId: Bound<number>,
  filters: WhereFilters,
  assignee: { type: AssigneeType; meUserId: Bound<number> | null },
  offset: Bound<number>,
) {
  return db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(filterWhere(accountId, filters), assigneeWhere(assignee.type, assignee.meUserId)))
    .orderBy(...conversationListOrder)
    .limit(fixedLimit(CONVERSATIONS_PER_PAGE))
    .offset(offset);
}

const pageOffset = (page: number) => (Math.max(1, page) - 1) * CONVERSATIONS_PER_PAGE;

/**
 * The ids of one page (25, Chatwoot's size) as a subquery. Deferred join: the page's ids come from
 * the index alone, and only those 25 rows are read from the table, so a deep page does not fetch
 * every skipped row.
 */
export function conversationPageIds(db: Db, accountId: number, options: ConversationListOptions) {
  return pageIdsQuery(
    db,
    accountId,
    options.filters,
    { type: options.assigneeType, meUserId: options.meUserId },
    pageOffset(options.page),
  );
}

/**
 * Which filters a tallied list sets (see `isTallied`): lists of one shape differ only in values,
 * so each shape's statements are built once (`builtOnce`), not on every request.
 */
interface TalliedShape {
  status: boolean;
  inbox: boolean;
  visible: boolean;
  me: boolean;
}

interface TalliedValues extends Record<string, unknown> {
  accountId: number;
  status: string | undefined;
  inboxId: number | undefined;
  visibleToUserId: number | undefined;
  meUserId: number | undefined;
  offset: number;
}

function talliedShapeOf(filters: ConversationListFilters, meUserId: number | null): TalliedShape {
  return {
    status: filters.status !== undefined && filters.status !== 'all',
    inbox: filters.inboxId !== undefined,
    visible: filters.visibleToUserId != null,
    me: meUserId !== null,
  };
}

const shapeName = (shape: TalliedShape) =>
  Object.entries(shape)
    .filter(([, isSet]) => isSet)
    .map(([name]) => name)
    .join('_') || 'account';

function talliedValues(
  accountId: number,
  filters: ConversationListFilters,
  meUserId: number | null,
  offset = 0,
): TalliedValues {
  return {
    accountId,
    status: filters.status,
    inboxId: filters.inboxId,
    visibleToUserId: filters.visibleToUserId ?? undefined,
    meUserId: meUserId ?? undefined,
    offset,
  };
}

/** The filters of a shape, as placeholders of its statement. */
function boundFilters(shape: TalliedShape, value: (name: keyof TalliedValues & string) => Placeholder) {
  return {
    filters: {
      ...(shape.status && { status: value('status') }),
      ...(shape.inbox && { inboxId: value('inboxId') }),
      ...(shape.visible && { visibleToUserId: value('visibleToUserId') }),
    } satisfies WhereFilters,
    meUserId: shape.me ? value('meUserId') : null,
  };
}

const talliedPageIds = builtOncePerVariant<
  { id: number },
  TalliedValues,
  { assigneeType: AssigneeType; shape: TalliedShape }
>(
  ({ assigneeType, shape }) => `conversation_page_ids_${assigneeType}_${shapeName(shape)}`,
  (db, value, { assigneeType, shape }) => {
    const bound = boundFilters(shape, value);
    return pageIdsQuery(
      db,
      value('accountId'),
      bound.filters,
      { type: assigneeType, meUserId: bound.meUserId },
      value('offset'),
    );
  },
);

/** The ids of one page (see `conversationPageIds`), from a statement built once when the list is tallied. */
export async function listPageIds(
  db: Db,
  accountId: number,
  options: ConversationListOptions,
): Promise<{ id: number }[]> {
  if (!isTallied(options.filters)) return conversationPageIds(db, accountId, options);
  const shape = talliedShapeOf(options.filters, options.meUserId);
  return talliedPageIds(
    { assigneeType: options.assigneeType, shape },
    db,
    talliedValues(accountId, options.filters, options.meUserId, pageOffset(options.page)),
  );
}

/** One page by last activity (see conversationPageIds). */
export async function listConversations(
  db: Db,
  accountId: number,
  options: ConversationListOptions,
): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, accountId),
        inArray(conversations.id, conversationPageIds(db, accountId, options)),
      ),
    )
    .orderBy(...conversationListOrder);
}

/** Filters the tallies can answer: status, inbox and the agent's own inboxes. */
function isTallied(filters: ConversationListFilters): boolean {
  return (
    filters.teamId === undefined &&
    !filters.labels?.length &&
    !filters.q?.trim() &&
    filters.where === undefined
  );
}

/** The tab counts from the trigger-kept tallies: a few rows per inbox instead of a scan. */
function talliesQuery(
  db: Db,
  accountId: Bound<number>,
  filters: WhereFilters,
  meUserId: Bound<number> | null,
) {
  const mine = meUserId === null ? sql`false` : sql`${conversationTallies.assigneeId} = ${meUserId}`;
  const conditions: (SQL | undefined)[] = [eq(conversationTallies.accountId, accountId)];
  if (filters.status && filters.status !== 'all') {
    conditions.push(eq(conversationTallies.status, filters.status));
  }
  if (filters.inboxId !== undefined) conditions.push(eq(conversationTallies.inboxId, filters.inboxId));
  if (filters.visibleToUserId != null) {
    conditions.push(
      inArray(conversationTallies.inboxId, inboxesOfMember(accountId, filters.visibleToUserId)),
    );
  }
  const tally = (condition: SQL) =>
    sql<number>`coalesce(sum(${conversationTallies.count}) FILTER (WHERE ${condition}), 0)::int`.mapWith(
      Number,
    );
  return db
    .select({
      mine: tally(mine),
      unassigned: tally(sql`${conversationTallies.assigneeId} = 0`),
      assigned: tally(sql`${conversationTallies.assigneeId} <> 0`),
      all: tally(sql`true`),
    })
    .from(conversationTallies)
    .where(and(...conditions));
}

const talliesOfShape = builtOncePerVariant<ConversationCounts, TalliedValues, TalliedShape>(
  (shape) => `conversation_tallies_${shapeName(shape)}`,
  (db, value, shape) => {
    const bound = boundFilters(shape, value);
    return talliesQuery(db, value('accountId'), bound.filters, bound.meUserId);
  },
);

async function countFromTallies(
  db: Db,
  accountId: number,
  filters: ConversationListFilters,
  meUserId: number | null,
): Promise<ConversationCounts> {
  const shape = talliedShapeOf(filters, meUserId);
  const [row] = await talliesOfShape(shape, db, talliedValues(accountId, filters, meUserId));
  return {
    mine: row?.mine ?? 0,
    unassigned: row?.unassigned ?? 0,
    assigned: row?.assigned ?? 0,
    all: row?.all ?? 0,
  };
}

/** The four tab counts under the same filters as the list: from the tallies, or one scan. */
export async function countConversations(
  db: Db,
  accountId: number,
  options: { filters: ConversationListFilters; meUserId: number | null },
): Promise<ConversationCounts> {
  if (isTallied(options.filters)) {
    return countFromTallies(db, accountId, options.filters, options.meUserId);
  }
  const mine =
    options.meUserId === null ? sql`false` : sql`${conversations.assigneeId} = ${options.meUserId}`;
  const [row] = await db
    .select({
      mine: sql`count(*) FILTER (WHERE ${mine})::int`.mapWith(Number),
      unassigned: sql`count(*) FILTER (WHERE ${conversations.assigneeId} IS NULL)::int`.mapWith(Number),
      assigned: sql`count(*) FILTER (WHERE ${conversations.assigneeId} IS NOT NULL)::int`.mapWith(Number),
      all: sql`count(*)::int`.mapWith(Number),
    })
    .from(conversations)
    .where(filterWhere(accountId, options.filters));
  return {
    mine: row?.mine ?? 0,
    unassigned: row?.unassigned ?? 0,
    assigned: row?.assigned ?? 0,
    all: row?.all ?? 0,
  };
}

/** The last non-activity message of each conversation, for list rows (one query). */
export async function loadLastMessages(
  db: Db,
  accountId: number,
  rows: ConversationRow[],
): Promise<Map<number, typeof messages.$inferSelect>> {
  const ids = rows.map((row) => row.lastNonActivityMessageId).filter((id): id is number => id !== null);
  if (ids.length === 0) return new Map();
  const found = await db
    .select()
    .from(messages)
    .where(and(eq(messages.accountId, accountId), inArray(messages.id, ids)));
  return new Map(found.map((message) => [message.conversationId, message]));
}
