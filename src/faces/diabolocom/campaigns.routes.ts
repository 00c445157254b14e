import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  addCampaignFields,
  deleteCampaign,
  listCampaigns,
  loadCampaign,
  loadCampaignMembers,
  updateCampaign,
} from '../../core/campaigns/campaigns.js';
import { campaignChangesSchema, newCustomFieldSchema } from '../../core/campaigns/campaign-settings.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import { dialingModes, type CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import type { Db } from '../../platform/db/database.js';
import { diabolocomAccess } from './access.js';
import { campaignNotFound } from './errors.js';
import { diabolocomCampaignSchema, toDiabolocomCampaign } from './campaign.map.js';
import { idOf, pageLinks, pageNumber, queryBoolean } from './page-number-links.js';

const tags = ['diabolocom'];
const errorBody = z.object({ status: z.number().int(), error: z.string(), message: z.string() });
const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 405: errorBody };
const campaignParams = z.object({ campaignId: z.string() });

/** The seed's PATCH body: every writable field of the campaign structure. */
const patchBody = campaignChangesSchema.pick({
  name: true,
  mode: true,
  isPaused: true,
  isArchived: true,
  folder: true,
  userIds: true,
  groupIds: true,
  useAgentDisplayedPhoneNumber: true,
  displayedPhoneNumbers: true,
  minCallingDateOffset: true,
  maxCallingDateOffset: true,
  maxTries: true,
  nextTryDelay: true,
  isRecorded: true,
  recordingPercentage: true,
  calendarId: true,
  regionalization: true,
  soundPlayedContactPickUp: true,
  contactPriority: true,
  personalCallbackPrioritization: true,
  globalPriority: true,
  deduplicationParams: true,
  autoPurge: true,
});

const listQuery = z.object({
  name: z.string().max(200).optional(),
  mode: z.enum(dialingModes).optional(),
  isPaused: queryBoolean.optional(),
  isArchived: queryBoolean.optional(),
  page: pageNumber,
  /** Default 50; more than 200 is served as 200. */
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .default(50)
    .transform((size) => Math.min(size, 200)),
});

const listResponse = z.object({
  count: z.number().int(),
  campaigns: z.array(diabolocomCampaignSchema),
  next: z.string().nullable(),
  previous: z.string().nullable(),
});

async function present(db: Db, row: CampaignRow) {
  const members = await loadCampaignMembers(db, [row.id]);
  return toDiabolocomCampaign(row, members.get(row.id));
}

/** Campaigns: get, list (numbered pages ≤ 200), patch, add custom fields, delete (archived only). */
export function registerDiabolocomCampaignsRoutes(app: TypedApp, ctx: AppContext): void {
  const one = '/api/v1/voice/campaigns/:campaignId';

  app.get(
    '/api/v1/voice/campaigns',
    {
      schema: {
        tags,
        summary: 'Get campaigns',
        querystring: listQuery,
        response: { 200: listResponse, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const { page, pageSize, ...filter } = request.query;
      const { rows, count } = await listCampaigns(ctx.db, access.accountId, filter, {
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      const members = await loadCampaignMembers(
        ctx.db,
        rows.map((row) => row.id),
      );
      return {
        count,
        campaigns: rows.map((row) => toDiabolocomCampaign(row, members.get(row.id))),
        ...pageLinks(request, { page, pageSize, count }),
      };
    },
  );

  app.get(
    one,
    {
      schema: {
        tags,
        summary: 'Get campaign by Id',
        params: campaignParams,
        response: { 200: diabolocomCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const id = idOf(request.params.campaignId);
      const row = id ? await loadCampaign(ctx.db, access.accountId, id) : undefined;
      if (!row) throw campaignNotFound(request.params.campaignId);
      return present(ctx.db, row);
    },
  );

  app.patch(
    one,
    {
      schema: {
        tags,
        summary: 'Update campaign by Id',
        params: campaignParams,
        body: patchBody,
        response: { 200: diabolocomCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request, { isAdminOnly: true });
      const id = idOf(request.params.campaignId);
      const actor = await actorName(ctx.db, access);
      const row = id
        ? await updateCampaign(ctx.db, access.accountId, id, request.body, actor, access.actor)
        : undefined;
      if (!row) throw campaignNotFound(request.params.campaignId);
      return present(ctx.db, row);
    },
  );

  app.post(
    `${one}/field`,
    {
      schema: {
        tags,
        summary: 'Add campaign custom field(s)',
        params: campaignParams,
        body: z.object({ newCustomFields: z.array(newCustomFieldSchema).min(1).max(100) }),
        response: { 200: diabolocomCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request, { isAdminOnly: true });
      const id = idOf(request.params.campaignId);
      const actor = await actorName(ctx.db, access);
      const row = id
        ? await addCampaignFields(
            ctx.db,
            access.accountId,
            id,
            request.body.newCustomFields,
            actor,
            access.actor,
          )
        : undefined;
      if (!row) throw campaignNotFound(request.params.campaignId);
      return present(ctx.db, row);
    },
  );

  app.delete(
    one,
    {
      schema: {
        tags,
        summary: 'Delete campaign by Id (it must be archived first)',
        params: campaignParams,
        response: { 200: diabolocomCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request, { isAdminOnly: true });
      const id = idOf(request.params.campaignId);
      const current = id ? await loadCampaign(ctx.db, access.accountId, id) : undefined;
      if (!id || !current) throw campaignNotFound(request.params.campaignId);
      // The answer shows the campaign as it was, agents included: read them before they cascade.
      const shown = await present(ctx.db, current);
      const row = await deleteCampaign(ctx.db, access.accountId, id, access.actor);
      if (!row) throw campaignNotFound(request.params.campaignId);
      return shown;
    },
  );
}
