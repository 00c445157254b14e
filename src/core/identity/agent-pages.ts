import { asc, desc, gt, lt, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A page of agents walked by user id, both ways: faces hand out a cursor for the next page and one
 * for the previous page, and each page is one indexed range scan on (account_id, user_id).
 */
export interface AgentPageRequest {
  /** Rows after this user id (the next page); neither cursor: the first page. */
  afterUserId?: number | undefined;
  /** Rows before this user id (the previous page). */
  beforeUserId?: number | undefined;
  limit: number;
}

export interface AgentPage<T> {
  items: T[];
  /** The cursor of the next page, null on the last page. */
  next: number | null;
  /** The cursor of the previous page, null on the first page. */
  previous: number | null;
}

export function userIdRange(column: AnyColumn, request: AgentPageRequest): SQL | undefined {
  if (request.beforeUserId !== undefined) return lt(column, request.beforeUserId);
  if (request.afterUserId !== undefined) return gt(column, request.afterUserId);
  return undefined;
}

/** Backward pages read in descending order, so `limit + 1` rows still prove another page exists. */
export function userIdOrder(column: AnyColumn, request: AgentPageRequest): SQL {
  return request.beforeUserId !== undefined ? desc(column) : asc(column);
}

/** Turns the `limit + 1` rows of `userIdRange`/`userIdOrder` into a page in ascending order. */
export function toAgentPage<T>(
  rows: T[],
  request: AgentPageRequest,
  userIdOf: (row: T) => number,
): AgentPage<T> {
  const hasMore = rows.length > request.limit;
  const window = rows.slice(0, request.limit);
  if (request.beforeUserId !== undefined) {
    const items = window.reverse();
    const first = items[0];
    const last = items.at(-1);
    return {
      items,
      previous: hasMore && first ? userIdOf(first) : null,
      next: last ? userIdOf(last) : null,
    };
  }
  const first = window[0];
  const last = window.at(-1);
  return {
    items: window,
    next: hasMore && last ? userIdOf(last) : null,
    previous: request.afterUserId !== undefined && first ? userIdOf(first) : null,
  };
}
