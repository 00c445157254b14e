import { z } from 'zod';
import { dialingModes, type CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import type { CampaignMembers } from '../../core/campaigns/campaigns.js';

/** The seed's campaign structure; nullable exactly where it says "Nullable". */
export const diabolocomCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  isPaused: z.boolean(),
  isArchived: z.boolean(),
  folder: z.string(),
  mode: z.enum(dialingModes),
  userIds: z.array(z.number().int()),
  unassignedUserIds: z.array(z.number().int()),
  groupIds: z.array(z.number().int()),
  customFields: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUpdatedAt: z.string(),
  lastUpdatedBy: z.string(),
  wrapupFolderId: z.number().int(),
  phoneFields: z.array(z.string()),
  displayedPhoneNumbers: z.array(z.string()),
  useAgentDisplayedPhoneNumber: z.boolean(),
  minCallingDateOffset: z.number().int().nullable(),
  maxCallingDateOffset: z.number().int().nullable(),
  maxTries: z.number().int(),
  nextTryDelay: z.number().int(),
  isRecorded: z.boolean(),
  recordingPercentage: z.number().int().nullable(),
  calendarId: z.number().int().nullable(),
  regionalization: z.boolean(),
  soundPlayedContactPickUp: z.number().int().nullable(),
  contactPriority: z.number().int(),
  personalCallbackPrioritization: z.boolean(),
  globalPriority: z.number().int().nullable(),
  deduplicationParams: z
    .object({
      excludeDomain: z.enum(['all', 'file']).optional(),
      excludeSamePhones: z.boolean().optional(),
      excludeSameValues: z.array(z.string()).optional(),
      enableAgentIncludeExclude: z.boolean().optional(),
    })
    .nullable(),
  autoPurge: z
    .object({
      enabled: z.boolean().optional(),
      lastAttemptBeforeDays: z.number().int().optional(),
      maxTriesReached: z.boolean().optional(),
      excluded: z.boolean().optional(),
      notToCall: z.boolean().optional(),
    })
    .nullable(),
});
export type DiabolocomCampaign = z.infer<typeof diabolocomCampaignSchema>;

const noMembers: CampaignMembers = { userIds: [], unassignedUserIds: [], groupIds: [] };

/**
 * `folder` has no null in the seed's structure: a campaign outside any folder shows "". The
 * wrap-up folder is always set (the system folder by default; a folder in use cannot be deleted).
 */
export function toDiabolocomCampaign(
  row: CampaignRow,
  members: CampaignMembers = noMembers,
): DiabolocomCampaign {
  return {
    id: row.id,
    name: row.name,
    isPaused: row.isPaused,
    isArchived: row.isArchived,
    folder: row.folder ?? '',
    mode: row.mode,
    userIds: members.userIds,
    unassignedUserIds: members.unassignedUserIds,
    groupIds: members.groupIds,
    customFields: row.customFields,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    lastUpdatedAt: row.updatedAt.toISOString(),
    lastUpdatedBy: row.lastUpdatedBy,
    wrapupFolderId: row.wrapupFolderId ?? 0,
    phoneFields: row.phoneFields,
    displayedPhoneNumbers: row.displayedPhoneNumbers,
    useAgentDisplayedPhoneNumber: row.useAgentDisplayedPhoneNumber,
    minCallingDateOffset: row.minCallingDateOffset,
    maxCallingDateOffset: row.maxCallingDateOffset,
    maxTries: row.maxTries,
    nextTryDelay: row.nextTryDelay,
    isRecorded: row.isRecorded,
    recordingPercentage: row.recordingPercentage,
    calendarId: row.calendarId,
    regionalization: row.regionalization,
    soundPlayedContactPickUp: row.soundPlayedContactPickUp,
    contactPriority: row.contactPriority,
    personalCallbackPrioritization: row.personalCallbackPrioritization,
    globalPriority: row.globalPriority,
    deduplicationParams: row.deduplicationParams ?? null,
    autoPurge: row.autoPurge ?? null,
  };
}
