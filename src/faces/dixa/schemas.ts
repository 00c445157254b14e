import { z } from 'zod';

/** Dixa ids are UUIDs; anything else is a 400 before any lookup. */
export const uuidSchema = z.uuid({ message: 'must be a UUID' });

export function uuidParams<const TKey extends string>(...keys: TKey[]) {
  return z.object(
    Object.fromEntries(keys.map((key) => [key, uuidSchema])) as Record<TKey, typeof uuidSchema>,
  );
}

/** `{data: ...}`, the envelope every Dixa `*Output` schema uses. */
export function dataOf<T>(data: T): { data: T } {
  return { data };
}
