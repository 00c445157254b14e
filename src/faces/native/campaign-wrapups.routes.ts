import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate } from './schemas.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import { wrapupStatuses } from '../../core/campaigns/campaigns.tables.js';
import {
  createWrapupCode,
  deleteWrapupCode,
  listWrapupCodes,
  loadWrapupCode,
  updateWrapupCode,
  wrapupCodeChangesSchema,
  wrapupCodeCreateSchema,
  type WrapupCodeView,
} from '../../core/campaigns/wrapups.js';
import {
  createWrapupFolder,
  deleteWrapupFolder,
  listWrapupFolders,
  updateWrapupFolder,
  wrapupFolderChangesSchema,
  wrapupFolderCreateSchema,
  type WrapupFolderRow,
} from '../../core/campaigns/wrapup-folders.js';

const tags = ['campaigns'];
const errors = { ...commonErrors, 409: commonErrors[404] };
const offsetQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const wrapupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(wrapupStatuses),
  folderId: z.number().int().nullable(),
  path: z.string(),
  isSystem: z.boolean(),
  isHidden: z.boolean(),
  unpinAfter: z.number().int().nullable(),
  createdBy: z.string(),
  lastUpdatedBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

const folderSchema = z.object({
  id: z.number().int(),
  parentFolderId: z.number().int().nullable(),
  name: z.string(),
  path: z.string(),
  level: z.number().int(),
  position: z.number().int(),
  isLocked: z.boolean(),
  isSystem: z.boolean(),
  createdBy: z.string(),
  lastUpdatedBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

function toWrapup(row: WrapupCodeView): z.infer<typeof wrapupSchema> {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    folderId: row.folderId,
    path: row.wrapupPath,
    isSystem: row.isSystem,
    isHidden: row.isHidden,
    unpinAfter: row.unpinAfter,
    createdBy: row.createdBy,
    lastUpdatedBy: row.lastUpdatedBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

function toFolder(row: WrapupFolderRow): z.infer<typeof folderSchema> {
  return {
    id: row.id,
    parentFolderId: row.parentId,
    name: row.name,
    path: row.path,
    level: row.level,
    position: row.position,
    isLocked: row.isLocked,
    isSystem: row.isSystem,
    createdBy: row.createdBy,
    lastUpdatedBy: row.lastUpdatedBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), count: z.number().int() });

/** Wrap-up codes and their folder tree; system codes and the System folder are created lazily. */
export function registerNativeWrapupRoutes(app: TypedApp, ctx: AppContext): void {
  const codes = '/v1/accounts/:accountId/wrapups';
  const code = `${codes}/:wrapupId`;
  const codeParams = accountParams.extend({ wrapupId: idParam });
  const folders = '/v1/accounts/:accountId/wrapup-folders';
  const folderParams = accountParams.extend({ folderId: idParam });

  app.post(
    codes,
    {
      schema: {
        tags,
        summary: 'Create a wrap-up code',
        params: accountParams,
        body: wrapupCodeCreateSchema,
        response: { 201: wrapupSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await createWrapupCode(
        ctx.db,
        access.accountId,
        request.body,
        await actorName(ctx.db, access),
      );
      return reply.status(201).send(toWrapup(row));
    },
  );

  app.get(
    codes,
    {
      schema: {
        tags,
        summary: 'List wrap-up codes (system codes first, by id)',
        params: accountParams,
        querystring: offsetQuery.extend({
          status: z.enum(wrapupStatuses).optional(),
          folderId: idParam.optional(),
        }),
        response: { 200: listOf(wrapupSchema), ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { limit, offset, ...filter } = request.query;
      const { rows, count } = await listWrapupCodes(ctx.db, access.accountId, filter, { limit, offset });
      return { data: rows.map(toWrapup), count };
    },
  );

  app.get(
    code,
    {
      schema: {
        tags,
        summary: 'Get a wrap-up code',
        params: codeParams,
        response: { 200: wrapupSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const row = await loadWrapupCode(ctx.db, access.accountId, request.params.wrapupId);
      if (!row) throw notFound('Wrap-up code');
      return toWrapup(row);
    },
  );

  app.patch(
    code,
    {
      schema: {
        tags,
        summary: 'Change a wrap-up code (system codes: isHidden only)',
        params: codeParams,
        body: wrapupCodeChangesSchema,
        response: { 200: wrapupSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const row = await updateWrapupCode(
        ctx.db,
        access.accountId,
        request.params.wrapupId,
        request.body,
        actor,
      );
      if (!row) throw notFound('Wrap-up code');
      return toWrapup(row);
    },
  );

  app.delete(
    code,
    {
      schema: {
        tags,
        summary: 'Delete a wrap-up code (not a system one)',
        params: codeParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await deleteWrapupCode(ctx.db, access.accountId, request.params.wrapupId);
      if (!row) throw notFound('Wrap-up code');
      return reply.status(204).send(null);
    },
  );

  app.post(
    folders,
    {
      schema: {
        tags,
        summary: 'Create a wrap-up folder (under parentFolderId, or at the root)',
        params: accountParams,
        body: wrapupFolderCreateSchema,
        response: { 201: folderSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const row = await createWrapupFolder(ctx.db, access.accountId, request.body, actor);
      return reply.status(201).send(toFolder(row));
    },
  );

  app.get(
    folders,
    {
      schema: {
        tags,
        summary: 'List wrap-up folders in tree order (by path)',
        params: accountParams,
        querystring: offsetQuery.extend({ parentFolderId: idParam.optional() }),
        response: { 200: listOf(folderSchema), ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { limit, offset, ...filter } = request.query;
      const { rows, count } = await listWrapupFolders(ctx.db, access.accountId, filter, { limit, offset });
      return { data: rows.map(toFolder), count };
    },
  );

  app.patch(
    `${folders}/:folderId`,
    {
      schema: {
        tags,
        summary: 'Rename, reorder, lock or unlock a wrap-up folder',
        params: folderParams,
        body: wrapupFolderChangesSchema,
        response: { 200: folderSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const row = await updateWrapupFolder(
        ctx.db,
        access.accountId,
        request.params.folderId,
        request.body,
        actor,
      );
      if (!row) throw notFound('Wrap-up folder');
      return toFolder(row);
    },
  );

  app.delete(
    `${folders}/:folderId`,
    {
      schema: {
        tags,
        summary: 'Delete an empty wrap-up folder',
        params: folderParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await deleteWrapupFolder(ctx.db, access.accountId, request.params.folderId);
      if (!row) throw notFound('Wrap-up folder');
      return reply.status(204).send(null);
    },
  );
}
