import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

/** Query booleans as the seed writes them: `true` or `false` (z.coerce would take "false" as true). */
export const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** Page numbers start at 1. */
export const pageNumber = z.coerce.number().int().min(1).max(1_000_000).default(1);

/** Path ids: anything that is not a positive integer names nothing (404, not 400). */
export function idOf(raw: string): number | undefined {
  if (!/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

/**
 * `next`/`previous` of a numbered page: the request's own path and query with `page` changed,
 * as absolute paths (no host: Parley may sit behind any proxy); null at either end.
 */
export function pageLinks(
  request: FastifyRequest,
  page: { page: number; pageSize: number; count: number },
): { next: string | null; previous: string | null } {
  const link = (target: number) => {
    const url = new URL(request.url, 'http://parley.invalid');
    url.searchParams.set('page', String(target));
    return `${url.pathname}?${url.searchParams.toString()}`;
  };
  const lastPage = Math.max(1, Math.ceil(page.count / page.pageSize));
  return {
    next: page.page < lastPage ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(Math.min(page.page - 1, lastPage)) : null,
  };
}
