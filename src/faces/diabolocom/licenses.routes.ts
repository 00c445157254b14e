import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { billedLicenses, billingMonthBounds, licenseModels } from '../../core/campaigns/licenses.js';
import { diabolocomAccess } from './access.js';

const licensesQuery = z.object({
  month: z
    .string()
    .refine((value) => billingMonthBounds(value) !== null, 'must be a month as YYYY-MM')
    .describe('Year-month (YYYY-MM), e.g. 2020-08'),
});

const licensesSchema = z.object({
  month: z.string(),
  licenseModelBilled: z.enum(licenseModels),
  currentAccountLicenseModel: z.enum(licenseModels),
  details: z.array(
    z.object({
      model: z.enum(licenseModels),
      count: z.number().int(),
      users: z.array(z.string()),
      peakDateTime: z.string().optional().describe('First peak (UTC, ISO 8601); "Peak Users" only'),
    }),
  ),
});

/** `GET /api/v1/statistic-cold/billing/licenses?month=YYYY-MM`: billing data, administrators only. */
export function registerDiabolocomLicensesRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/statistic-cold/billing/licenses',
    {
      schema: {
        tags: ['diabolocom'],
        summary: 'Get licenses billed for a month (peak and connected users, from presence history)',
        querystring: licensesQuery,
        response: { 200: licensesSchema },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request, { isAdminOnly: true });
      const billed = await billedLicenses(ctx.db, access.accountId, request.query.month);
      return {
        ...billed,
        details: billed.details.map(({ peakDateTime, ...usage }) => ({
          ...usage,
          ...(peakDateTime && { peakDateTime: peakDateTime.toISOString() }),
        })),
      };
    },
  );
}
