const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * The inclusive byte range a single-range `Range` header asks of a `size`-byte file: undefined to
 * send the whole file (no header, a unit other than bytes, several ranges: RFC 9110 lets a server
 * ignore those), null when it cannot be satisfied (416).
 */
export function byteRangeOf(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | undefined {
  const match = header ? RANGE.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    return length === 0 || size === 0 ? null : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start >= size || start > end ? null : { start, end };
}
