import { z } from 'zod';
import type { CampaignContactRow } from '../../core/campaigns/campaigns.tables.js';

/**
 * The seed's contact structure, plus `agentName` and `displayedNumberIds` from its GET example.
 * Fields the seed says are "null if not set" are sent as null; the others it types without a
 * null (assignment expirations, lastAgentId, lastCallerType, currentPhoneName, region,
 * purgeDate) are left out while unset (DESIGN.md, "Faithful shapes").
 */
export const diabolocomContactSchema = z.object({
  id: z.number(),
  campaignId: z.number(),
  contactId: z.number(),
  state: z.string(),
  comment: z.string().nullable(),
  excluded: z.boolean(),
  excludedDetail: z.string().nullable(),
  priority: z.number(),
  retryDate: z.string().nullable(),
  triesNumber: z.number(),
  wrapupId: z.number().nullable(),
  agentId: z.number().nullable(),
  agentName: z.string().nullable(),
  assignedAgentId: z.number().nullable(),
  assignedGroupId: z.number().nullable(),
  assignedAgentExpirationTime: z.string().optional(),
  assignedGroupExpirationTime: z.string().optional(),
  duplicateContactIds: z.array(z.number()),
  minCallingDateTime: z.string().nullable(),
  maxCallingDateTime: z.string().nullable(),
  lastCallTime: z.string().nullable(),
  lastAttemptTime: z.string().nullable(),
  lastAgentId: z.number().optional(),
  lastCallerType: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUpdatedBy: z.string(),
  lastUpdatedAt: z.string(),
  contactCardDisplayNumber: z.string().nullable(),
  region: z.number().optional(),
  displayedNumberIds: z.array(z.string()),
  currentPhoneName: z.string().optional(),
  calendarId: z.number().nullable(),
  customFields: z.record(z.string(), z.string()),
  phones: z.record(z.string(), z.string()),
  purgeDate: z.string().optional(),
});
export type DiabolocomContact = z.infer<typeof diabolocomContactSchema>;

/** Seconds precision, "Z": the seed's examples ("2022-11-01T16:52:54Z"). */
export function diabolocomTime(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const timeOrNull = (value: Date | null) => (value ? diabolocomTime(value) : null);

export interface ContactRelations {
  /** The name of the agent in `agentId`. */
  agentName?: string | null;
  /** The campaign's displayed numbers: the ones this contact may be shown. */
  campaignDisplayedNumbers?: readonly string[];
}

/**
 * `displayedNumberIds` (GET example only: ["33123456789"]) are the numbers the contact may see
 * when called, digits only: its own `contactCardDisplayNumber` when set, else the campaign's.
 */
function displayedNumberIds(row: CampaignContactRow, relations: ContactRelations): string[] {
  const numbers = row.contactCardDisplayNumber
    ? [row.contactCardDisplayNumber]
    : (relations.campaignDisplayedNumbers ?? []);
  return numbers.map((number) => number.replace(/\D/g, '')).filter(Boolean);
}

export function serializeDiabolocomContact(
  row: CampaignContactRow,
  relations: ContactRelations = {},
): DiabolocomContact {
  return {
    id: row.id,
    campaignId: row.campaignId,
    contactId: row.contactNumber,
    state: row.state,
    comment: row.comment,
    excluded: row.excluded,
    excludedDetail: row.excluded ? row.excludedDetail : null,
    priority: row.priority,
    retryDate: timeOrNull(row.retryAt),
    triesNumber: row.triesNumber,
    wrapupId: row.wrapupId,
    agentId: row.agentId,
    agentName: row.agentId === null ? null : (relations.agentName ?? null),
    assignedAgentId: row.assignedAgentId,
    assignedGroupId: row.assignedGroupId,
    ...(row.assignedAgentExpiresAt && {
      assignedAgentExpirationTime: diabolocomTime(row.assignedAgentExpiresAt),
    }),
    ...(row.assignedGroupExpiresAt && {
      assignedGroupExpirationTime: diabolocomTime(row.assignedGroupExpiresAt),
    }),
    duplicateContactIds: row.duplicateContactIds,
    minCallingDateTime: timeOrNull(row.minCallingAt),
    maxCallingDateTime: timeOrNull(row.maxCallingAt),
    lastCallTime: timeOrNull(row.lastCallAt),
    lastAttemptTime: timeOrNull(row.lastAttemptAt),
    ...(row.lastAgentId !== null && { lastAgentId: row.lastAgentId }),
    ...(row.lastCallerType !== null && { lastCallerType: row.lastCallerType }),
    createdBy: row.createdBy,
    createdAt: diabolocomTime(row.createdAt),
    lastUpdatedBy: row.lastUpdatedBy,
    lastUpdatedAt: diabolocomTime(row.updatedAt),
    contactCardDisplayNumber: row.contactCardDisplayNumber,
    ...(row.region !== null && { region: row.region }),
    displayedNumberIds: displayedNumberIds(row, relations),
    ...(row.currentPhoneName !== null && { currentPhoneName: row.currentPhoneName }),
    calendarId: row.calendarId,
    customFields: row.customFields,
    phones: row.phones,
    ...(row.purgeDate !== null && { purgeDate: row.purgeDate }),
  };
}
