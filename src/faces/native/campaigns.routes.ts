import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { Db } from '../../platform/db/database.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, pageOf, pageQuery } from './schemas.js';
import {
  createCampaign,
  deleteCampaign,
  listCampaigns,
  loadCampaign,
  loadCampaignMembers,
  updateCampaign,
  type CampaignRow,
} from '../../core/campaigns/campaigns.js';
import {
  campaignChangesSchema,
  campaignCreateSchema,
  newCustomFieldSchema,
} from '../../core/campaigns/campaign-settings.js';
import { addCampaignFields } from '../../core/campaigns/campaigns.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import { nativeCampaignSchema, toNativeCampaign } from './campaigns.map.js';
import { registerNativeWrapupRoutes } from './campaign-wrapups.routes.js';
import { registerNativeCalendarRoutes } from './campaign-calendars.routes.js';

const tags = ['campaigns'];
const campaignParams = accountParams.extend({ campaignId: idParam });
const errors = { ...commonErrors, 409: commonErrors[404] };

async function present(db: Db, row: CampaignRow) {
  const members = await loadCampaignMembers(db, [row.id]);
  return toNativeCampaign(row, members.get(row.id));
}

/**
 * Campaigns, wrap-up codes and calendars on the native API. Reads are open to the account's
 * members; writes need an administrator. A campaign starts paused.
 */
export function registerNativeCampaignRoutes(app: TypedApp, ctx: AppContext): void {
  const many = '/v1/accounts/:accountId/campaigns';
  const one = `${many}/:campaignId`;

  app.post(
    many,
    {
      schema: {
        tags,
        summary: 'Create an outbound campaign (paused until played)',
        params: accountParams,
        body: campaignCreateSchema,
        response: { 201: nativeCampaignSchema, ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const row = await createCampaign(ctx.db, access.accountId, request.body, actor, access.actor);
      return reply.status(201).send(await present(ctx.db, row));
    },
  );

  app.get(
    many,
    {
      schema: {
        tags,
        summary: "List the account's campaigns by id",
        params: accountParams,
        querystring: pageQuery,
        response: { 200: pageOf(nativeCampaignSchema), ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const { limit, cursor } = request.query;
      const { rows } = await listCampaigns(
        ctx.db,
        access.accountId,
        {},
        { limit: limit + 1, afterId: cursor },
      );
      const page = rows.slice(0, limit);
      const members = await loadCampaignMembers(
        ctx.db,
        page.map((row) => row.id),
      );
      return {
        data: page.map((row) => toNativeCampaign(row, members.get(row.id))),
        nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  );

  app.get(
    one,
    {
      schema: {
        tags,
        summary: 'Get a campaign',
        params: campaignParams,
        response: { 200: nativeCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const row = await loadCampaign(ctx.db, access.accountId, request.params.campaignId);
      if (!row) throw notFound('Campaign');
      return present(ctx.db, row);
    },
  );

  app.patch(
    one,
    {
      schema: {
        tags,
        summary: "Change a campaign's settings, agents, state (paused, archived) or calling rules",
        params: campaignParams,
        body: campaignChangesSchema,
        response: { 200: nativeCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const { campaignId } = request.params;
      const row = await updateCampaign(
        ctx.db,
        access.accountId,
        campaignId,
        request.body,
        actor,
        access.actor,
      );
      if (!row) throw notFound('Campaign');
      return present(ctx.db, row);
    },
  );

  app.post(
    `${one}/fields`,
    {
      schema: {
        tags,
        summary: 'Add custom fields (isPhoneNumber: true makes a phone field)',
        params: campaignParams,
        body: z.object({ newCustomFields: z.array(newCustomFieldSchema).min(1).max(100) }),
        response: { 200: nativeCampaignSchema, ...errors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const { campaignId } = request.params;
      const fields = request.body.newCustomFields;
      const row = await addCampaignFields(ctx.db, access.accountId, campaignId, fields, actor, access.actor);
      if (!row) throw notFound('Campaign');
      return present(ctx.db, row);
    },
  );

  app.delete(
    one,
    {
      schema: {
        tags,
        summary: 'Delete an archived campaign with its contacts',
        params: campaignParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId, { isAdminOnly: true });
      const row = await deleteCampaign(ctx.db, access.accountId, request.params.campaignId, access.actor);
      if (!row) throw notFound('Campaign');
      return reply.status(204).send(null);
    },
  );

  registerNativeWrapupRoutes(app, ctx);
  registerNativeCalendarRoutes(app, ctx);
}
