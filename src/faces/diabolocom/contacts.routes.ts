import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import type { Db } from '../../platform/db/database.js';
import type { CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import {
  contactChangesSchema,
  contactInputSchema,
  deleteCampaignContact,
  findCampaignContact,
  insertCampaignContacts,
  updateCampaignContacts,
} from '../../core/campaigns/campaign-contacts.js';
import { loadContactView } from '../../core/campaigns/contact-search.js';
import { campaignContacts } from '../../core/campaigns/campaigns.tables.js';
import { eq } from 'drizzle-orm';
import { campaignOf, campaignParams, contactNumberOf, contactParams } from './contact-params.js';
import { contactNotFound } from './errors.js';
import {
  diabolocomContactSchema,
  serializeDiabolocomContact,
  type DiabolocomContact,
} from './contact.map.js';

const tags = ['diabolocom: contacts'];
const base = '/api/v2/voice/campaigns/:campaignId/contacts';

const changesBody = contactChangesSchema.refine((body) => Object.keys(body).length > 0, {
  message: 'At least one field is needed',
});

async function rendered(db: Db, campaign: CampaignRow, contactNumber: number): Promise<DiabolocomContact> {
  const view = await loadContactView(db, campaign, contactNumber);
  if (!view) throw contactNotFound(contactNumber);
  return serializeDiabolocomContact(view.row, view);
}

/**
 * Contacts v2: one contact by its per-campaign `contactId` — the path's `{contactId}`, the id
 * the seed's example shows beside the system `id` and the one its `contactIds` filter takes.
 */
export function registerDiabolocomContactsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    `${base}/:contactId`,
    {
      schema: {
        tags,
        summary: 'Get a campaign contact',
        params: contactParams,
        response: { 200: diabolocomContactSchema },
      },
    },
    async (request) => {
      const { campaign } = await campaignOf(ctx, request, request.params.campaignId);
      return rendered(ctx.db, campaign, contactNumberOf(request.params.contactId));
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a campaign contact',
        params: campaignParams,
        querystring: z.object({ priorityMode: z.stringbool().optional() }),
        body: contactInputSchema,
        response: { 201: diabolocomContactSchema },
      },
    },
    async (request, reply) => {
      const { access, campaign } = await campaignOf(ctx, request, request.params.campaignId, {
        isAdminOnly: true,
      });
      const actor = await actorName(ctx.db, access);
      const [row] = await ctx.db.transaction(async (tx) => {
        const { inserted } = await insertCampaignContacts(tx, {
          campaign,
          inputs: [request.body],
          actor,
          eventActor: access.actor,
          priorityMode: request.query.priorityMode ?? false,
        });
        return inserted;
      });
      if (!row) throw new Error('the contact was not inserted');
      return reply.status(201).send(await rendered(ctx.db, campaign, row.contactNumber));
    },
  );

  app.put(
    `${base}/:contactId`,
    {
      schema: {
        tags,
        summary: 'Update a campaign contact (omitted custom fields stay as they are)',
        params: contactParams,
        body: changesBody,
        response: { 200: diabolocomContactSchema },
      },
    },
    async (request) => {
      const { access, campaign } = await campaignOf(ctx, request, request.params.campaignId, {
        isAdminOnly: true,
      });
      const contactNumber = contactNumberOf(request.params.contactId);
      const actor = await actorName(ctx.db, access);
      await ctx.db.transaction(async (tx) => {
        const row = await findCampaignContact(tx, campaign, contactNumber);
        if (!row) throw contactNotFound(contactNumber);
        await updateCampaignContacts(tx, {
          campaign,
          where: eq(campaignContacts.id, row.id),
          changes: request.body,
          actor,
          refuseOnCall: true,
        });
      });
      return rendered(ctx.db, campaign, contactNumber);
    },
  );

  app.delete(
    `${base}/:contactId`,
    {
      schema: {
        tags,
        summary: 'Delete a campaign contact (409 while it is on a call)',
        params: contactParams,
      },
    },
    async (request, reply) => {
      const { campaign } = await campaignOf(ctx, request, request.params.campaignId, { isAdminOnly: true });
      const contactNumber = contactNumberOf(request.params.contactId);
      await ctx.db.transaction(async (tx) => {
        const row = await findCampaignContact(tx, campaign, contactNumber);
        if (!row || !(await deleteCampaignContact(tx, { campaign, id: row.id }))) {
          throw contactNotFound(contactNumber);
        }
      });
      return reply.status(204).send();
    },
  );
}
