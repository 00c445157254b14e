import { z } from 'zod';
import { dialingModes, retryableOutcomes, wrapupStatuses } from './campaigns.tables.js';

/** True when `Intl` knows the zone (IANA names such as "Europe/Paris"; "UTC" too). */
export function isIanaTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timezoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimezone, { message: 'must be an IANA time zone, e.g. Europe/Paris' });

const hourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)');

const windowSchema = z
  .object({ start: hourMinute, end: hourMinute })
  .refine((window) => window.start < window.end, { message: 'start must be before end' });

/** Local calling windows per ISO weekday (1 = Monday … 7 = Sunday); a missing day is not callable. */
export const weeklyWindowsSchema = z.partialRecord(
  z.enum(['1', '2', '3', '4', '5', '6', '7']),
  z.array(windowSchema).max(12),
);

/** Dates (YYYY-MM-DD, in the campaign's or calendar's zone) when nobody is called. */
export const holidaysSchema = z
  .array(z.iso.date())
  .max(366)
  .transform((dates) => [...new Set(dates)].sort());

const retryRuleSchema = z.object({
  maxTries: z.number().int().min(0).max(100),
  delaySeconds: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400),
});

export const retryRulesSchema = z.object({
  byOutcome: z.partialRecord(z.enum(retryableOutcomes), retryRuleSchema).optional(),
  byWrapupStatus: z.partialRecord(z.enum(wrapupStatuses), retryRuleSchema).optional(),
});

/** E.164 without the plus: a country code that does not start with 0, 7 to 15 digits in all. */
export const displayedPhoneNumberSchema = z
  .string()
  .regex(/^[1-9]\d{6,14}$/, 'must be an E.164 number without "+" (digits only)');

export const deduplicationParamsSchema = z.object({
  excludeDomain: z.enum(['all', 'file']).optional(),
  excludeSamePhones: z.boolean().optional(),
  excludeSameValues: z.array(z.string().max(100)).max(50).optional(),
  enableAgentIncludeExclude: z.boolean().optional(),
});

export const autoPurgeSchema = z.object({
  enabled: z.boolean().optional(),
  lastAttemptBeforeDays: z.number().int().min(0).max(3650).optional(),
  maxTriesReached: z.boolean().optional(),
  excluded: z.boolean().optional(),
  notToCall: z.boolean().optional(),
});

/** A custom field name: what contacts carry in `customFields` and, for phone fields, in `phones`. */
export const customFieldNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s/]+$/, 'must have no spaces and no "/"');

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Every writable setting of a campaign: the seed's writable fields plus Parley's own calling rules
 * (timezone, callingWindows, holidays, retryRules, maxAbandonRate). All optional: a patch.
 */
export const campaignChangesSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  mode: z.enum(dialingModes).optional(),
  isPaused: z.boolean().optional(),
  isArchived: z.boolean().optional(),
  folder: z.string().trim().max(200).nullable().optional(),
  userIds: z.array(id).max(5000).nullable().optional(),
  groupIds: z.array(id).max(1000).nullable().optional(),
  useAgentDisplayedPhoneNumber: z.boolean().optional(),
  displayedPhoneNumbers: z.array(displayedPhoneNumberSchema).max(100).optional(),
  minCallingDateOffset: z.number().int().min(0).max(2).nullable().optional(),
  maxCallingDateOffset: z.number().int().min(0).max(3650).nullable().optional(),
  maxTries: z.number().int().min(0).max(100).optional(),
  nextTryDelay: z
    .number()
    .int()
    .min(0)
    .max(365 * 86_400)
    .optional(),
  isRecorded: z.boolean().optional(),
  recordingPercentage: z.number().int().min(0).max(100).nullable().optional(),
  calendarId: id.nullable().optional(),
  wrapupFolderId: id.optional(),
  regionalization: z.boolean().optional(),
  soundPlayedContactPickUp: z.number().int().nullable().optional(),
  contactPriority: z.number().int().min(0).max(1_000_000).optional(),
  personalCallbackPrioritization: z.boolean().optional(),
  globalPriority: z.number().int().min(1).max(50).nullable().optional(),
  deduplicationParams: deduplicationParamsSchema.nullable().optional(),
  autoPurge: autoPurgeSchema.nullable().optional(),
  timezone: timezoneSchema.optional(),
  callingWindows: weeklyWindowsSchema.optional(),
  holidays: holidaysSchema.optional(),
  retryRules: retryRulesSchema.optional(),
  maxAbandonRate: z.number().min(0).max(0.03).optional(),
});
export type CampaignChanges = z.input<typeof campaignChangesSchema>;

/**
 * A new campaign: a name and a mode, any setting, and its custom fields. A field is a phone field
 * when it is listed in `phoneFields` (added to `customFields` if missing), as the seed's campaign
 * structure lists them; the add-field endpoint says it per field with `isPhoneNumber`.
 */
export const campaignCreateSchema = campaignChangesSchema.extend({
  name: z.string().trim().min(1).max(200),
  mode: z.enum(dialingModes),
  customFields: z.array(customFieldNameSchema).max(200).optional(),
  phoneFields: z.array(customFieldNameSchema).max(20).optional(),
});
export type CampaignCreateInput = z.input<typeof campaignCreateSchema>;

/** One field to add, as the seed's `POST …/field` body names it. */
export const newCustomFieldSchema = z.object({
  name: customFieldNameSchema,
  isPhoneNumber: z.boolean().default(false),
});
export type NewCustomField = z.input<typeof newCustomFieldSchema>;
