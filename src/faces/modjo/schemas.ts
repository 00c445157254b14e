import { z } from 'zod';
import { callProviders, recordingFormats } from '../../core/calls/calls.tables.js';

/**
 * Request and response schemas of Modjo API V1, derived once from its OpenAPI document
 * (components ApiCallUploadDto, ApiV1CallExportDto, ApiV1PublicGetUserDto, CreateBulkUsersDto, ...).
 */

const crms = ['hubspot', 'pipedrive', 'salesforce', 'zoho', 'sellsy', 'microsoft_dynamics'] as const;

/** Providers a client may name on upload (ApiCallUploadDto.provider). */
export const uploadProviders = [
  'manual',
  'alcatel',
  'demodesk',
  'modjo_physical_recorder',
  'mobile_field_recorder',
  'onoff',
  'sipsim',
  'modjo_batch_imports',
  'webapp_manual_import',
] as const satisfies readonly (typeof callProviders)[number][];

const crmContactSchema = z.object({
  crmId: z.string().min(1),
  crm: z.enum(crms),
  email: z.string().optional(),
  phoneNumber: z.string().optional(),
  name: z.string().optional(),
});

const crmRefSchema = z.object({ crmId: z.string().min(1), crm: z.enum(crms) });

const externalTagSchema = z.object({
  name: z.string().min(3).max(128),
  providerTagId: z.string().min(1),
  color: z
    .string()
    .regex(/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'must be a 3 or 6 character hexadecimal colour without #')
    .default('4CD598'),
});

const internalTagSchema = z.object({ modjoTagId: z.number().int().min(1) });

const isoDateTime = z.iso.datetime({ offset: true });

export const uploadCallBody = z.object({
  recordingUrl: z.string().min(1).optional(),
  contacts: z.array(z.union([z.number().int(), z.string().min(1), crmContactSchema])).min(1),
  users: z.array(z.union([z.number().int(), z.string().min(1)])).min(1),
  date: isoDateTime,
  provider: z.enum(uploadProviders).default('manual'),
  name: z.string().optional(),
  fileExtension: z.enum(recordingFormats),
  direction: z.enum(['inbound', 'outbound']).default('inbound'),
  duration: z.number().min(0).default(0),
  tags: z
    .array(z.union([externalTagSchema, internalTagSchema]))
    .min(1)
    .nullable(),
  account: crmRefSchema.optional(),
  deal: crmRefSchema.optional(),
});
export type UploadCallBody = z.infer<typeof uploadCallBody>;

export const uploadCallResponse = z.union([
  z.object({ uploadTo: z.string() }),
  z.object({ success: z.boolean() }),
]);

// RangeDateDTO's examples accept both a full ISO timestamp and a bare YYYY-MM-DD.
const rangeDate = z
  .string()
  .refine(
    (value) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:mm:ss.sssZ)',
  );

const relationFlag = z.boolean().default(false);

export const exportCallsBody = z.object({
  pagination: z
    .object({ page: z.number().int().min(1), perPage: z.number().int().min(1).max(50) })
    .default({ page: 1, perPage: 10 }),
  filters: z
    .object({
      callStartDateRange: z
        .object({ start: rangeDate, end: rangeDate })
        .refine((range) => Date.parse(range.end) > Date.parse(range.start), {
          message: 'end must be later than start',
          path: ['end'],
        })
        .optional(),
      minimumCallDuration: z.number().min(0).optional(),
      callTitle: z.string().min(3).optional(),
      callIds: z.array(z.number().int()).min(1).optional(),
      deletedRecording: z.boolean().default(false),
    })
    .default({ deletedRecording: false }),
  relations: z
    .object({
      recording: relationFlag,
      contacts: relationFlag,
      account: relationFlag,
      deal: relationFlag,
      users: relationFlag,
      libraries: relationFlag,
      tags: relationFlag,
      transcript: relationFlag,
      topics: relationFlag,
      speakers: relationFlag,
      aiSummary: relationFlag,
      summary: relationFlag,
      highlights: relationFlag,
      reviews: relationFlag,
      aiScoringResults: relationFlag,
    })
    .partial()
    .default({}),
});
export type ExportCallsBody = z.infer<typeof exportCallsBody>;

export const paginationSchema = z.object({
  page: z.number(),
  perPage: z.number(),
  nextPage: z.number().optional(),
  totalValues: z.number(),
  lastPage: z.number(),
});

const speakerUser = z.object({
  userId: z.number(),
  userCrmId: z.string().nullable(),
  email: z.string(),
  name: z.string(),
  speakerId: z.number(),
  type: z.literal('user'),
});

const speakerContact = z.object({
  contactId: z.number(),
  name: z.string(),
  phoneNumber: z.string().nullable(),
  email: z.string().nullable(),
  contactCrmId: z.string().nullable(),
  speakerId: z.number(),
  type: z.literal('contact'),
});

const moment = z.object({
  speakerId: z.number().nullable(),
  startTime: z.number(),
  endTime: z.number(),
  content: z.string(),
});

const crmRef = z.object({ crmId: z.string(), crm: z.string().nullable() }).nullable();

/** One exported call. The seed leaves `values` untyped; field names follow its webhook payloads. */
export const exportedCallSchema = z.object({
  callId: z.number(),
  title: z.string(),
  startDate: z.string().nullable(),
  duration: z.number(),
  provider: z.string(),
  providerCallId: z.string(),
  direction: z.string().nullable(),
  language: z.string().nullable(),
  callCrmId: z.string().nullable(),
  relations: z.object({
    recording: z
      .object({
        url: z.string(),
        format: z.string().nullable(),
        duration: z.number().nullable(),
        size: z.number().nullable(),
      })
      .nullable()
      .optional(),
    contacts: z
      .array(
        z.object({
          contactId: z.number(),
          name: z.string(),
          contactCrmId: z.string().nullable(),
          contactCrmType: z.string(),
          contactEmail: z.string().nullable(),
          contactPhoneNumber: z.string().nullable(),
        }),
      )
      .optional(),
    users: z.array(z.object({ userId: z.number(), userEmail: z.string(), name: z.string() })).optional(),
    account: crmRef.optional(),
    deal: crmRef.optional(),
    tags: z
      .array(
        z.object({
          modjoTagId: z.number(),
          name: z.string(),
          color: z.string(),
          providerTagId: z.string().nullable(),
        }),
      )
      .optional(),
    transcript: z.array(moment).optional(),
    speakers: z.array(z.union([speakerUser, speakerContact])).optional(),
    summary: z
      .object({
        content: z.string().nullable(),
        templateUuid: z.string(),
        summaryCrmId: z.string().nullable(),
      })
      .nullable()
      .optional(),
    aiSummary: z.array(moment).optional(),
    highlights: z.array(moment).optional(),
    topics: z
      .array(z.object({ name: z.string(), score: z.number(), startTime: z.number().nullable() }))
      .optional(),
    libraries: z.array(z.never()).optional(),
    reviews: z.array(z.never()).optional(),
    aiScoringResults: z.array(z.never()).optional(),
  }),
});

export const exportCallsResponse = z.object({
  pagination: paginationSchema,
  values: z.array(exportedCallSchema),
});

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1),
  perPage: z.coerce.number().int().min(1).max(100),
});

export const userSchema = z.object({
  id: z.number(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  hasLicense: z.boolean(),
  role: z.enum(['user', 'manager', 'admin']),
  teamIds: z.array(z.number()),
  language: z.string(),
});

export const usersPageResponse = z.object({ pagination: paginationSchema, values: z.array(userSchema) });

export const teamsPageResponse = z.object({
  pagination: paginationSchema,
  values: z.array(z.object({ id: z.number(), name: z.string(), description: z.string().nullable() })),
});

export const deleteUsersBody = z.object({ userIds: z.array(z.number().int()).min(1) });

export const bulkUsersBody = z.object({
  users: z
    .array(
      z.object({
        email: z.email(),
        firstName: z.string().optional(),
        lastName: z.string().optional(),
        hasLicense: z.boolean().default(false),
        role: z.enum(['user', 'manager', 'admin']).default('user'),
        teamIds: z.array(z.number().int()).default([]),
        language: z.enum(['en-US', 'fr-FR']).default('en-US'),
        sendOnboardingEmail: z.boolean().default(true),
      }),
    )
    .min(1),
});
