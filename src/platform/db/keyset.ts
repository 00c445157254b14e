export interface Page<T, TCursor = number> {
  items: T[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: TCursor | null;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only proves another page exists,
 * so no COUNT(*) is needed for keyset pagination.
 */
export function toPage<T, TCursor>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => TCursor,
): Page<T, TCursor> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
