import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listAccountNumbers } from '../../core/numbers/account-numbers.js';
import { importInventory } from '../../core/numbers/number-import.js';
import { getQuotaStatus, setQuota, type QuotaStatus } from '../../core/numbers/number-quotas.js';
import { numberClasses, numberTypes, type PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { accountAccess, requirePlatform } from '../shared/access.js';
import { accountParams, commonErrors, iso, isoDate, pageOf, pageQuery } from './schemas.js';

const tags = ['numbers'];

/** The most rows one import request may carry; bigger inventories go through `parley numbers import`. */
const MAX_ROWS_PER_REQUEST = 10_000;

const inventoryRow = z.object({
  number: z.string().max(40).describe('E.164, e.g. +33140000001'),
  countryCode: z.string().max(8).describe('ISO 3166-1 alpha-2'),
  type: z
    .string()
    .max(40)
    .describe(`One of ${numberTypes.join(', ')}`),
  class: z
    .string()
    .max(20)
    .optional()
    .describe(`${numberClasses.join(' or ')}; default CLASSIC`),
  localPrefix: z.string().max(20).describe('The area code as dialled nationally, e.g. "01"'),
  areaLabel: z.string().max(200).optional(),
  monthlyCents: z.number().int().optional(),
});

const importReport = z.object({
  total: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  invalid: z.number(),
  areaCodesCreated: z.number(),
  problems: z.array(z.object({ line: z.number(), message: z.string() })),
});

const numberSchema = z.object({
  id: z.number(),
  number: z.string(),
  countryCode: z.string(),
  localPrefix: z.string(),
  areaLabel: z.string(),
  type: z.enum(numberTypes),
  class: z.enum(numberClasses),
  monthlyCents: z.number(),
  voiceAppId: z.number().nullable(),
  inboxId: z.number().nullable(),
  acquiredAt: isoDate.nullable(),
});

const quotaSchema = z.object({
  assignedCount: z.number(),
  assignedMax: z.number().describe('-1: unlimited'),
  periodCount: z.number().describe('Numbers bought in the last periodDays days'),
  remaining: z.number().describe('Numbers the account can still buy; -1: unlimited'),
  maxOverPeriod: z.number().describe('-1: unlimited'),
  periodDays: z.number(),
});

const quotaInput = z.object({
  assignedMax: z.number().int().min(-1).max(1_000_000),
  maxOverPeriod: z.number().int().min(-1).max(1_000_000),
  periodDays: z.number().int().min(1).max(3660),
});

function toDto(row: PhoneNumberRow): z.infer<typeof numberSchema> {
  return {
    id: row.id,
    number: row.number,
    countryCode: row.countryCode,
    localPrefix: row.localPrefix,
    areaLabel: row.areaLabel,
    type: row.type,
    class: row.numberClass,
    monthlyCents: row.monthlyCents,
    voiceAppId: row.voiceAppId,
    inboxId: row.inboxId,
    acquiredAt: iso(row.acquiredAt),
  };
}

const toQuotaDto = (status: QuotaStatus): z.infer<typeof quotaSchema> => ({ ...status });

/**
 * The phone-number inventory on the native API: the operator loads the store (platform token) and
 * sets an account's store limits; an account lists the numbers it holds.
 */
export function registerNativeNumberRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/v1/numbers/import',
    {
      schema: {
        tags,
        summary: 'Load phone numbers into the store (platform token); existing numbers are skipped',
        body: z.object({ rows: z.array(inventoryRow).min(1).max(MAX_ROWS_PER_REQUEST) }),
        response: { 200: importReport, ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      return importInventory(
        ctx.db,
        request.body.rows.map((row, index) => ({
          line: index + 1,
          number: row.number,
          countryCode: row.countryCode,
          type: row.type,
          numberClass: row.class,
          localPrefix: row.localPrefix,
          areaLabel: row.areaLabel,
          monthlyCents: row.monthlyCents,
        })),
      );
    },
  );

  app.get(
    '/v1/accounts/:accountId/numbers',
    {
      schema: {
        tags,
        summary: "List the account's phone numbers, in id order",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(numberSchema), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const page = await listAccountNumbers(ctx.db, access.accountId, {
        after: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items.map(toDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/accounts/:accountId/number-quota',
    {
      schema: {
        tags,
        summary: "The account's number-store limits and where it stands",
        params: accountParams,
        response: { 200: quotaSchema, ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      return toQuotaDto(await getQuotaStatus(ctx.db, access.accountId));
    },
  );

  app.put(
    '/v1/accounts/:accountId/number-quota',
    {
      schema: {
        tags,
        summary: "Set the account's number-store limits (platform token); -1 means unlimited",
        params: accountParams,
        body: quotaInput,
        response: { 200: quotaSchema, ...commonErrors },
      },
    },
    async (request) => {
      requirePlatform(request);
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      await setQuota(ctx.db, access.accountId, request.body);
      return toQuotaDto(await getQuotaStatus(ctx.db, access.accountId));
    },
  );
}
