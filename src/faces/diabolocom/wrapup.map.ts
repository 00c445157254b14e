import { z } from 'zod';
import { wrapupStatuses } from '../../core/campaigns/campaigns.tables.js';
import type { WrapupCodeView } from '../../core/campaigns/wrapups.js';
import type { WrapupFolderRow } from '../../core/campaigns/wrapup-folders.js';

/** The seed's wrap-up code structure; `unpinAfter` is null unless the code is a tocall callback. */
export const diabolocomWrapupSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(wrapupStatuses),
  wrapupPath: z.string(),
  isSystem: z.boolean(),
  isHidden: z.boolean(),
  unpinAfter: z.number().int().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUpdatedAt: z.string(),
  lastUpdatedBy: z.string(),
});

/** The folder fields the seed lists; a root folder's `parentFolderId` is null. */
export const diabolocomWrapupFolderSchema = z.object({
  id: z.number().int(),
  level: z.number().int(),
  locked: z.boolean(),
  name: z.string(),
  order: z.number().int(),
  parentFolderId: z.number().int().nullable(),
  system: z.boolean(),
  folderPath: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUpdatedBy: z.string(),
  lastUpdatedAt: z.string(),
});

export function toDiabolocomWrapup(row: WrapupCodeView): z.infer<typeof diabolocomWrapupSchema> {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    wrapupPath: row.wrapupPath,
    isSystem: row.isSystem,
    isHidden: row.isHidden,
    unpinAfter: row.unpinAfter,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    lastUpdatedAt: row.updatedAt.toISOString(),
    lastUpdatedBy: row.lastUpdatedBy,
  };
}

export function toDiabolocomWrapupFolder(row: WrapupFolderRow): z.infer<typeof diabolocomWrapupFolderSchema> {
  return {
    id: row.id,
    level: row.level,
    locked: row.isLocked,
    name: row.name,
    order: row.position,
    parentFolderId: row.parentId,
    system: row.isSystem,
    folderPath: row.path,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUpdatedBy: row.lastUpdatedBy,
    lastUpdatedAt: row.updatedAt.toISOString(),
  };
}
