import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.js';

/**
 * Dixa pages with `pageLimit` and an opaque, Base64-encoded `pageKey` ("do not try to construct or
 * change programmatically"), and answers `meta: {next, previous}` as URLs. Parley's page keys wrap a
 * keyset cursor, so a page is one indexed range scan however deep it is.
 */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 500;

export const pageQuerySchema = z.object({
  pageLimit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  pageKey: z.string().max(2048).optional(),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface DixaPageKey<TCursor> {
  /** The cursor of the row the page starts after (forward) or before (backward). */
  cursor: TCursor;
  direction: 'next' | 'previous';
}

export function encodePageKey<TCursor>(key: DixaPageKey<TCursor>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64');
}

/** Reads a page key back; anything Parley did not hand out is a 400, never a 500. */
export function decodePageKey<TCursor>(
  pageKey: string | undefined,
  cursorSchema: z.ZodType<TCursor>,
): DixaPageKey<TCursor> | undefined {
  if (pageKey === undefined || pageKey === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(pageKey, 'base64').toString('utf8'));
    return z.object({ cursor: cursorSchema, direction: z.enum(['next', 'previous']) }).parse(parsed);
  } catch {
    throw new DomainError('BAD_REQUEST', 'pageKey is not a page key this API handed out');
  }
}

/** The same request with another page key: what `meta.next` and `meta.previous` link to. */
export function pageLink(request: FastifyRequest, pageKey: string): string {
  const url = new URL(request.url, 'http://parley.invalid');
  url.searchParams.set('pageKey', pageKey);
  return `${url.pathname}${url.search}`;
}

/** `meta` for a page: links only where another page exists (the seed's fields are optional). */
export function pageMeta<TCursor>(
  request: FastifyRequest,
  page: { next?: TCursor | null; previous?: TCursor | null },
): { next?: string; previous?: string } {
  return {
    ...(page.next != null && {
      next: pageLink(request, encodePageKey({ cursor: page.next, direction: 'next' })),
    }),
    ...(page.previous != null && {
      previous: pageLink(request, encodePageKey({ cursor: page.previous, direction: 'previous' })),
    }),
  };
}
