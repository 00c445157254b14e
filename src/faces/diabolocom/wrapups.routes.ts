import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { wrapupStatuses } from '../../core/campaigns/campaigns.tables.js';
import { ensureSystemWrapups, listWrapupCodes, loadWrapupCode } from '../../core/campaigns/wrapups.js';
import { listWrapupFolders } from '../../core/campaigns/wrapup-folders.js';
import { diabolocomAccess } from './access.js';
import { wrapupNotFound } from './errors.js';
import {
  diabolocomWrapupFolderSchema,
  diabolocomWrapupSchema,
  toDiabolocomWrapup,
  toDiabolocomWrapupFolder,
} from './wrapup.map.js';
import { idOf, pageLinks, pageNumber, queryBoolean } from './page-number-links.js';

const tags = ['diabolocom'];
const errorBody = z.object({ status: z.number().int(), error: z.string(), message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 405: errorBody };
/** The seed: "Max 50 per page". */
const PAGE_SIZE = 50;
const folderId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const wrapupsQuery = z.object({
  name: z.string().max(200).optional(),
  status: z.enum(wrapupStatuses).optional(),
  isSystem: queryBoolean.optional(),
  isHidden: queryBoolean.optional(),
  wrapupFolderId: folderId.optional(),
  unpinAfter: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  page: pageNumber,
});

const foldersQuery = z.object({
  name: z.string().max(200).optional(),
  isSystem: queryBoolean.optional(),
  parentFolderId: folderId.optional(),
  page: pageNumber,
});

const links = { next: z.string().nullable(), previous: z.string().nullable() };

/**
 * Wrap-up codes and their folders, read-only as in the seed. `/wrapups/folders` is a static route,
 * so Fastify's router prefers it to `/wrapups/:wrapupId`.
 */
export function registerDiabolocomWrapupsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/account/wrapups',
    {
      schema: {
        tags,
        summary: 'Get wrapups',
        querystring: wrapupsQuery,
        response: {
          200: z.object({ count: z.number().int(), wrapups: z.array(diabolocomWrapupSchema), ...links }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const { page, wrapupFolderId, ...filter } = request.query;
      const { rows, count } = await listWrapupCodes(
        ctx.db,
        access.accountId,
        { ...filter, folderId: wrapupFolderId },
        { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
      );
      return {
        count,
        wrapups: rows.map(toDiabolocomWrapup),
        ...pageLinks(request, { page, pageSize: PAGE_SIZE, count }),
      };
    },
  );

  app.get(
    '/api/v1/account/wrapups/folders',
    {
      schema: {
        tags,
        summary: 'Get wrapups folders',
        querystring: foldersQuery,
        response: {
          200: z.object({
            count: z.number().int(),
            folders: z.array(diabolocomWrapupFolderSchema),
            ...links,
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const { page, ...filter } = request.query;
      const { rows, count } = await listWrapupFolders(ctx.db, access.accountId, filter, {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      });
      return {
        count,
        folders: rows.map(toDiabolocomWrapupFolder),
        ...pageLinks(request, { page, pageSize: PAGE_SIZE, count }),
      };
    },
  );

  app.get(
    '/api/v1/account/wrapups/:wrapupId',
    {
      schema: {
        tags,
        summary: 'Get wrapup by Id',
        params: z.object({ wrapupId: z.string() }),
        response: { 200: diabolocomWrapupSchema, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      await ensureSystemWrapups(ctx.db, access.accountId);
      const id = idOf(request.params.wrapupId);
      const row = id ? await loadWrapupCode(ctx.db, access.accountId, id) : undefined;
      if (!row) throw wrapupNotFound(request.params.wrapupId);
      return toDiabolocomWrapup(row);
    },
  );
}
