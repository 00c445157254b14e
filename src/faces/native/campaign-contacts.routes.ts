import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { notFound } from '../../platform/errors.js';
import { campaignContacts } from '../../core/campaigns/campaigns.tables.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import {
  contactChangesSchema,
  contactInputSchema,
  insertCampaignContacts,
  updateCampaignContacts,
} from '../../core/campaigns/campaign-contacts.js';
import {
  loadContactBatch,
  MAX_CONTACTS_PER_BATCH,
  submitContactBatch,
} from '../../core/campaigns/contact-batches.js';
import {
  contactProgressStates,
  findContactWithProgress,
  listContactsByProgress,
} from '../../core/campaigns/campaign-progress.js';
import { campaignInPath } from './campaign-access.js';
import { accountParams, commonErrors, idParam, pageOf, pageQuery } from './schemas.js';
import {
  nativeCampaignContactSchema,
  nativeContactBatchSchema,
  toNativeCampaignContact,
  toNativeContactBatch,
} from './campaign-contacts.map.js';
import { registerNativeCampaignStatsRoutes } from './campaign-stats.routes.js';

const tags = ['campaigns'];
const errors = { ...commonErrors, 409: commonErrors[404] };
const campaignParams = accountParams.extend({ campaignId: idParam });
const contactParams = campaignParams.extend({ contactId: idParam.describe("The contact's system id") });
const batchParams = campaignParams.extend({ batchId: z.uuid() });

const changesBody = contactChangesSchema.refine((body) => Object.keys(body).length > 0, {
  message: 'At least one field is needed',
});
const batchBody = z.object({
  contacts: z.array(contactInputSchema).min(1).max(MAX_CONTACTS_PER_BATCH),
  priorityMode: z.boolean().optional().describe("true: new contacts get the campaign's contactPriority"),
});

/**
 * A campaign's contacts on the native API, over the core the Diabolocom face uses: keyset pages
 * by progress, add one, change or exclude one, and batches of up to 300 (the import path; one
 * live batch per campaign). Administrators only: contacts are people's numbers.
 */
export function registerNativeCampaignContactRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/v1/accounts/:accountId/campaigns/:campaignId';

  app.get(
    `${base}/contacts`,
    {
      schema: {
        tags,
        summary: "A campaign's contacts, newest first, optionally in one progress state",
        params: campaignParams,
        querystring: pageQuery.extend({ progress: z.enum(contactProgressStates).optional() }),
        response: { 200: pageOf(nativeCampaignContactSchema), ...errors },
      },
    },
    async (request) => {
      const { campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const { limit, cursor, progress } = request.query;
      const page = await listContactsByProgress(ctx.db, {
        campaign,
        state: progress,
        limit,
        ...(cursor !== undefined && { beforeId: cursor }),
      });
      return { data: page.rows.map(toNativeCampaignContact), nextCursor: page.nextCursor };
    },
  );

  app.post(
    `${base}/contacts`,
    {
      schema: {
        tags,
        summary:
          'Add a contact (customFields name the campaign fields; an undiallable one is added excluded)',
        params: campaignParams,
        body: contactInputSchema,
        response: { 201: nativeCampaignContactSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const actor = await actorName(ctx.db, access);
      const { inserted } = await ctx.db.transaction((tx) =>
        insertCampaignContacts(tx, { campaign, inputs: [request.body], actor, eventActor: access.actor }),
      );
      const id = inserted[0]?.id;
      const row = id === undefined ? undefined : await findContactWithProgress(ctx.db, campaign, id);
      if (!row) throw new Error('the contact was not inserted');
      return reply.status(201).send(toNativeCampaignContact(row));
    },
  );

  app.get(
    `${base}/contacts/:contactId`,
    {
      schema: {
        tags,
        summary: 'Get a campaign contact by its system id',
        params: contactParams,
        response: { 200: nativeCampaignContactSchema, ...errors },
      },
    },
    async (request) => {
      const { campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const row = await findContactWithProgress(ctx.db, campaign, request.params.contactId);
      if (!row) throw notFound('Campaign contact');
      return toNativeCampaignContact(row);
    },
  );

  app.patch(
    `${base}/contacts/:contactId`,
    {
      schema: {
        tags,
        summary:
          'Change a contact: exclude it ({excluded: true}) or include it back, priority, fields… (409 on a call)',
        params: contactParams,
        body: changesBody,
        response: { 200: nativeCampaignContactSchema, ...errors },
      },
    },
    async (request) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const { contactId } = request.params;
      const actor = await actorName(ctx.db, access);
      await ctx.db.transaction(async (tx) => {
        if (!(await findContactWithProgress(tx, campaign, contactId))) throw notFound('Campaign contact');
        await updateCampaignContacts(tx, {
          campaign,
          where: eq(campaignContacts.id, contactId),
          changes: request.body,
          actor,
          refuseOnCall: true,
        });
      });
      const row = await findContactWithProgress(ctx.db, campaign, contactId);
      if (!row) throw notFound('Campaign contact');
      return toNativeCampaignContact(row);
    },
  );

  app.post(
    `${base}/contact-batches`,
    {
      schema: {
        tags,
        summary: `Add up to ${String(MAX_CONTACTS_PER_BATCH)} contacts in the background (409 while another batch of the campaign runs)`,
        params: campaignParams,
        body: batchBody,
        response: { 202: nativeContactBatchSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const row = await submitContactBatch(ctx.db, {
        accountId: access.accountId,
        campaign,
        request: {
          kind: 'create',
          inputs: request.body.contacts,
          priorityMode: request.body.priorityMode ?? false,
        },
        actor: await actorName(ctx.db, access),
      });
      return reply.status(202).send(toNativeContactBatch(row));
    },
  );

  app.get(
    `${base}/contact-batches/:batchId`,
    {
      schema: {
        tags,
        summary: "A contact batch's progress: created, excluded by cause, failed",
        params: batchParams,
        response: { 200: nativeContactBatchSchema, ...errors },
      },
    },
    async (request) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const row = await loadContactBatch(ctx.db, access.accountId, request.params.batchId);
      if (row?.campaignId !== campaign.id) throw notFound('Contact batch');
      return toNativeContactBatch(row);
    },
  );

  registerNativeCampaignStatsRoutes(app, ctx);
}
