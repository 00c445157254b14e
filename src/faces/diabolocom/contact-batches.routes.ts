import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { contactBatchStatuses } from '../../core/campaigns/campaigns.tables.js';
import { loadCampaign } from '../../core/campaigns/campaigns.js';
import { actorName } from '../../core/campaigns/campaign-actor.js';
import { contactInputSchema, customFieldsInput } from '../../core/campaigns/contact-input.js';
import {
  contactBatchResult,
  loadContactBatch,
  MAX_CONTACTS_PER_BATCH,
  submitContactBatch,
  type StoredBatchRequest,
} from '../../core/campaigns/contact-batches.js';
import { diabolocomAccess } from './access.js';
import { batchNotFound, campaignNotFound } from './errors.js';

const tags = ['diabolocom: contact batches'];
const base = '/api/v2/voice/campaigns';

/** A campaign id that is not a number names no campaign: 404, as for an unknown one. */
const campaignParams = z.object({ campaignId: z.string().max(32) });
const tokenSchema = z.object({ token: z.uuid() });
const resultSchema = z.object({
  status: z.enum(contactBatchStatuses),
  modifiedElementsCount: z.int(),
  failed: z.array(z.int()),
  excluded: z.record(z.string(), z.array(z.int())),
});

/** The single create's fields, applied to every contact, with one `customFields` object per contact. */
const createBody = contactInputSchema
  .omit({ customFields: true })
  .extend({ customFields: z.array(customFieldsInput).min(1).max(MAX_CONTACTS_PER_BATCH) });
const createQuery = z.object({ priorityMode: z.stringbool().optional() });
/** The filters and changes are checked by the core (unknown filter names are dropped there). */
const filterObject = z.record(z.string(), z.unknown());
const updateBody = z.object({ query: filterObject.optional(), data: filterObject });
const deleteBody = filterObject.optional();

function campaignIdOf(raw: string): number {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw campaignNotFound(raw);
  return id;
}

/**
 * Contact batches (seed: CONTACTS V2): create (≤ 300), update and delete by filter answer a token
 * at once; a durable job does the work in chunks and the status endpoint reports it. One live
 * batch per campaign: a second one is 409.
 */
export function registerDiabolocomContactBatchesRoutes(app: TypedApp, ctx: AppContext): void {
  async function submit(
    request: Parameters<typeof diabolocomAccess>[1],
    rawCampaignId: string,
    batch: StoredBatchRequest,
  ): Promise<{ token: string }> {
    const access = await diabolocomAccess(ctx, request, { isAdminOnly: true });
    const campaignId = campaignIdOf(rawCampaignId);
    const campaign = await loadCampaign(ctx.db, access.accountId, campaignId);
    if (!campaign) throw campaignNotFound(campaignId);
    const row = await submitContactBatch(ctx.db, {
      accountId: access.accountId,
      campaign,
      request: batch,
      actor: await actorName(ctx.db, access),
    });
    return { token: row.id };
  }

  app.post(
    `${base}/:campaignId/contact-batch/create`,
    {
      schema: {
        tags,
        summary: 'Create a batch of contacts (at most 300); answers a token for the status endpoint',
        params: campaignParams,
        querystring: createQuery,
        body: createBody,
        response: { 200: tokenSchema },
      },
    },
    async (request) => {
      const { customFields, ...common } = request.body;
      const inputs = customFields.map((fields) => ({ ...common, customFields: fields }));
      return submit(request, request.params.campaignId, {
        kind: 'create',
        inputs,
        priorityMode: request.query.priorityMode ?? false,
      });
    },
  );

  app.post(
    `${base}/:campaignId/contact-batch/update`,
    {
      schema: {
        tags,
        summary:
          'Update the contacts matching `query` with `data` (phones cannot be changed); unknown filters are ignored, an empty query matches every contact',
        params: campaignParams,
        body: updateBody,
        response: { 200: tokenSchema },
      },
    },
    async (request) =>
      submit(request, request.params.campaignId, {
        kind: 'update',
        query: request.body.query ?? {},
        data: request.body.data,
      }),
  );

  app.post(
    `${base}/:campaignId/contact-batch/delete`,
    {
      schema: {
        tags,
        summary:
          'Delete the contacts matching the filters (top level, or under `query`); unknown filters are ignored, no filter deletes every contact',
        params: campaignParams,
        body: deleteBody,
        response: { 200: tokenSchema },
      },
    },
    async (request) => {
      // The seed does not say whether delete wraps its filters in `query`: both forms are read.
      const body = request.body ?? {};
      const wrapped = body.query;
      const query =
        typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? wrapped : body;
      return submit(request, request.params.campaignId, { kind: 'delete', query });
    },
  );

  app.get(
    `${base}/contact-batch/status/:batchId`,
    {
      schema: {
        tags,
        summary: "A batch's status, counts, failed contact ids and excluded ids by reason",
        params: z.object({ batchId: z.string().max(64) }),
        response: { 200: resultSchema },
      },
    },
    async (request) => {
      const access = await diabolocomAccess(ctx, request);
      const row = await loadContactBatch(ctx.db, access.accountId, request.params.batchId);
      if (!row) throw batchNotFound(request.params.batchId);
      return contactBatchResult(row);
    },
  );
}
