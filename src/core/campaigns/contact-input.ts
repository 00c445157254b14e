import { z } from 'zod';

/** ISO 8601 with a zone ("Z" or an offset), as Diabolocom writes its datetimes. */
export const isoDateTimeInput = z.iso.datetime({ offset: true });

const id = z.int().positive().max(Number.MAX_SAFE_INTEGER);
/** Diabolocom types priority and region as integers without a range; PostgreSQL `integer` bounds them. */
const int32 = z.int().min(-2_147_483_648).max(2_147_483_647);

/** Custom field values are strings only (seed: "All strings"). */
export const customFieldsInput = z
  .record(z.string().trim().min(1).max(100), z.string().max(4_000))
  .refine((fields) => Object.keys(fields).length <= 200, 'at most 200 custom fields');

/** The writable fields of a campaign contact, shared by create and update. */
const writableFields = {
  priority: int32.optional(),
  excluded: z.boolean().optional(),
  retryDate: isoDateTimeInput.nullable().optional(),
  triesNumber: z.int().min(0).max(1_000_000).optional(),
  comment: z.string().max(10_000).nullable().optional(),
  wrapupId: id.nullable().optional(),
  agentId: id.nullable().optional(),
  assignedAgentId: id.nullable().optional(),
  assignedGroupId: id.nullable().optional(),
  assignedAgentExpirationTime: isoDateTimeInput.nullable().optional(),
  assignedGroupExpirationTime: isoDateTimeInput.nullable().optional(),
  minCallingDateTime: isoDateTimeInput.nullable().optional(),
  maxCallingDateTime: isoDateTimeInput.nullable().optional(),
  contactCardDisplayNumber: z.string().trim().max(32).nullable().optional(),
  calendarId: id.nullable().optional(),
  region: int32.nullable().optional(),
};

/** One contact as the seed's create body: `customFields` is mandatory, everything else optional. */
export const contactInputSchema = z.object({ ...writableFields, customFields: customFieldsInput });
export type CampaignContactInput = z.infer<typeof contactInputSchema>;

/**
 * The seed's update body: every field optional, omitted custom fields stay as they are.
 * `regionalizationCode` (PUT only, "Soon") is read as `region`.
 */
export const contactChangesSchema = z.object({
  ...writableFields,
  customFields: customFieldsInput.optional(),
  regionalizationCode: int32.nullable().optional(),
});
export type CampaignContactChanges = z.infer<typeof contactChangesSchema>;
