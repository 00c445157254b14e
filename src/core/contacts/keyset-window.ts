/**
 * A window of a list ordered by a numeric id, read forward (after a cursor) or backward (before
 * one), with the cursors of the windows on either side. Lists that page both ways (Dixa's
 * `meta.next` / `meta.previous`) share it.
 */
export interface KeysetPosition {
  id: number;
  direction: 'next' | 'previous';
}

export interface KeysetWindow<T> {
  items: T[];
  /** Read after this id for the next window; null at the end. */
  next: number | null;
  /** Read before this id for the previous window; null at the start. */
  previous: number | null;
}

/**
 * Turns `limit + 1` rows fetched in the reading direction into a window in ascending order: the
 * extra row only proves there is more in that direction, and having come from a cursor proves
 * there is something on the other side.
 */
export function toKeysetWindow<T>(
  rows: T[],
  limit: number,
  position: KeysetPosition | undefined,
  idOf: (row: T) => number,
): KeysetWindow<T> {
  const hasMore = rows.length > limit;
  const isBackward = position?.direction === 'previous';
  const items = isBackward ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const first = items[0];
  const last = items.at(-1);
  if (!first || !last) return { items, next: null, previous: null };
  const hasNext = isBackward || hasMore;
  const hasPrevious = isBackward ? hasMore : position !== undefined;
  return {
    items,
    next: hasNext ? idOf(last) : null,
    previous: hasPrevious ? idOf(first) : null,
  };
}
