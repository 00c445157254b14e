import { z } from 'zod';
import { errorBodySchema } from './errors.js';

export const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const accountParams = z.object({ accountId: idParam });

/** Keyset pagination: `cursor` is the opaque `nextCursor` of the previous page. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: idParam.optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.number().nullable() });
}

export const isoDate = z.string().describe('ISO 8601 timestamp');

export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}

/** Error responses every authenticated route can give. */
export const commonErrors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  422: errorBodySchema,
};
