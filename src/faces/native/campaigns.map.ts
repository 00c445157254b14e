import { z } from 'zod';
import { dialingModes, type CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import type { CampaignMembers } from '../../core/campaigns/campaigns.js';
import {
  autoPurgeSchema,
  deduplicationParamsSchema,
  retryRulesSchema,
} from '../../core/campaigns/campaign-settings.js';
import { iso, isoDate } from './schemas.js';

const windows = z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() })));

/** The native campaign: the Diabolocom fields plus Parley's own calling and compliance rules. */
export const nativeCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  mode: z.enum(dialingModes),
  folder: z.string().nullable(),
  isPaused: z.boolean(),
  isArchived: z.boolean(),
  userIds: z.array(z.number().int()),
  unassignedUserIds: z.array(z.number().int()),
  groupIds: z.array(z.number().int()),
  customFields: z.array(z.string()),
  phoneFields: z.array(z.string()),
  wrapupFolderId: z.number().int().nullable(),
  displayedPhoneNumbers: z.array(z.string()),
  useAgentDisplayedPhoneNumber: z.boolean(),
  minCallingDateOffset: z.number().int().nullable(),
  maxCallingDateOffset: z.number().int().nullable(),
  maxTries: z.number().int(),
  nextTryDelay: z.number().int(),
  retryRules: retryRulesSchema,
  isRecorded: z.boolean(),
  recordingPercentage: z.number().int().nullable(),
  calendarId: z.number().int().nullable(),
  timezone: z.string(),
  callingWindows: windows,
  holidays: z.array(z.string()),
  regionalization: z.boolean(),
  soundPlayedContactPickUp: z.number().int().nullable(),
  contactPriority: z.number().int(),
  personalCallbackPrioritization: z.boolean(),
  globalPriority: z.number().int().nullable(),
  deduplicationParams: deduplicationParamsSchema.nullable(),
  autoPurge: autoPurgeSchema.nullable(),
  maxAbandonRate: z.number(),
  createdBy: z.string(),
  lastUpdatedBy: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type NativeCampaign = z.infer<typeof nativeCampaignSchema>;

export function toNativeCampaign(row: CampaignRow, members: CampaignMembers | undefined): NativeCampaign {
  const { accountId: _account, lastContactNumber: _counter, createdAt, updatedAt, ...settings } = row;
  return {
    ...settings,
    userIds: members?.userIds ?? [],
    unassignedUserIds: members?.unassignedUserIds ?? [],
    groupIds: members?.groupIds ?? [],
    callingWindows: row.callingWindows,
    deduplicationParams: row.deduplicationParams ?? null,
    autoPurge: row.autoPurge ?? null,
    createdAt: iso(createdAt),
    updatedAt: iso(updatedAt),
  };
}
