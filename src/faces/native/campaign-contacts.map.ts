import { z } from 'zod';
import {
  contactBatchStatuses,
  exclusionCauses,
  wrapupStatuses,
} from '../../core/campaigns/campaigns.tables.js';
import type { ContactBatchRow } from '../../core/campaigns/campaigns.tables.js';
import {
  contactProgressStates,
  type CampaignStats,
  type ProgressContactRow,
} from '../../core/campaigns/campaign-progress.js';
import { ABANDON_WINDOW_DAYS } from '../../core/dialer/dialer-deps.js';
import { iso, isoDate } from './schemas.js';

/** A campaign contact on the native API: `id` is the system id, `contactNumber` the per-campaign one. */
export const nativeCampaignContactSchema = z.object({
  id: z.number().int(),
  contactNumber: z.number().int().describe("The contact's number in the campaign (Diabolocom's contactId)"),
  coreContactId: z.number().int(),
  progress: z.enum(contactProgressStates),
  customFields: z.record(z.string(), z.string()),
  phones: z.record(z.string(), z.string()).describe('The phone fields that can be dialled'),
  priority: z.number().int(),
  comment: z.string().nullable(),
  excluded: z.boolean(),
  excludedCause: z.enum(exclusionCauses).nullable(),
  duplicateContactIds: z.array(z.number().int()),
  triesNumber: z.number().int(),
  retryAt: isoDate.nullable(),
  isCallback: z.boolean(),
  lastCallAt: isoDate.nullable(),
  lastAttemptAt: isoDate.nullable(),
  wrapupId: z.number().int().nullable(),
  wrapupStatus: z.enum(wrapupStatuses).nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export function toNativeCampaignContact(
  row: ProgressContactRow,
): z.infer<typeof nativeCampaignContactSchema> {
  return {
    id: row.id,
    contactNumber: row.contactNumber,
    coreContactId: row.contactId,
    progress: row.progress,
    customFields: row.customFields,
    phones: row.phones,
    priority: row.priority,
    comment: row.comment,
    excluded: row.excluded,
    excludedCause: row.excludedDetail,
    duplicateContactIds: row.duplicateContactIds.map(Number),
    triesNumber: row.triesNumber,
    retryAt: iso(row.retryAt),
    isCallback: row.isCallback,
    lastCallAt: iso(row.lastCallAt),
    lastAttemptAt: iso(row.lastAttemptAt),
    wrapupId: row.wrapupId,
    wrapupStatus: row.wrapupStatus,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export const nativeContactBatchSchema = z.object({
  id: z.uuid(),
  campaignId: z.number().int(),
  status: z.enum(contactBatchStatuses),
  totalItems: z.number().int().nullable(),
  processedItems: z.number().int(),
  modifiedCount: z.number().int().describe('Contacts created, not counting those created excluded'),
  failed: z.array(z.number().int()),
  excluded: z
    .record(z.string(), z.array(z.number().int()))
    .describe('System ids of the contacts created excluded, by cause'),
  failureReason: z.string().nullable(),
  createdAt: isoDate,
  finishedAt: isoDate.nullable(),
});

export function toNativeContactBatch(row: ContactBatchRow): z.infer<typeof nativeContactBatchSchema> {
  return {
    id: row.id,
    campaignId: row.campaignId,
    status: row.status,
    totalItems: row.totalItems,
    processedItems: row.processedItems,
    modifiedCount: row.modifiedCount,
    failed: row.failedIds.map(Number),
    excluded: Object.fromEntries(
      Object.entries(row.excluded).map(([cause, ids]) => [cause, ids.map(Number)]),
    ),
    failureReason: row.failureReason,
    createdAt: iso(row.createdAt),
    finishedAt: iso(row.finishedAt),
  };
}

export const nativeCampaignStatsSchema = z.object({
  campaignId: z.number().int(),
  contacts: z.object({
    total: z.number().int(),
    toCall: z.number().int().describe('Not finished: the dialer calls them now or at their retry date'),
    onCall: z.number().int(),
    called: z.number().int().describe('Finished: final wrap-up, tries used up, or no retry'),
    excluded: z.number().int(),
  }),
  callsToday: z.number().int().describe("Dials since midnight in the campaign's calling time zone"),
  timezone: z.string(),
  abandonment: z.object({
    windowDays: z.number().int(),
    abandoned: z.number().int(),
    answered: z.number().int().describe('Calls answered by a person, abandoned ones included'),
    rate: z.number(),
    maxRate: z.number().describe('The cap the dialer holds (0.03 = 3%)'),
  }),
});

export function toNativeCampaignStats(stats: CampaignStats): z.infer<typeof nativeCampaignStatsSchema> {
  return {
    campaignId: stats.campaignId,
    contacts: {
      total: stats.contacts.total,
      toCall: stats.contacts.to_call,
      onCall: stats.contacts.on_call,
      called: stats.contacts.called,
      excluded: stats.contacts.excluded,
    },
    callsToday: stats.callsToday,
    timezone: stats.timezone,
    abandonment: {
      windowDays: ABANDON_WINDOW_DAYS,
      abandoned: stats.abandoned30d,
      answered: stats.answered30d,
      rate: stats.abandonRate30d,
      maxRate: stats.maxAbandonRate,
    },
  };
}
