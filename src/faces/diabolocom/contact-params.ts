import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import type { CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import { loadCampaign } from '../../core/campaigns/campaigns.js';
import { diabolocomAccess } from './access.js';
import { campaignNotFound, contactNotFound } from './errors.js';

/** Ids in paths are read as text: one that is not a number names nothing (404, not 400). */
export const campaignParams = z.object({ campaignId: z.string().max(32) });
export const contactParams = campaignParams.extend({ contactId: z.string().max(32) });

function positiveId(raw: string): number | undefined {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

export function contactNumberOf(raw: string): number {
  const id = positiveId(raw);
  if (id === undefined) throw contactNotFound(raw);
  return id;
}

/** The token's account and the campaign named in the path, or 404 `error.campaign.not.exists`. */
export async function campaignOf(
  ctx: AppContext,
  request: FastifyRequest,
  rawCampaignId: string,
  options: { isAdminOnly?: boolean } = {},
): Promise<{ access: AccountAccess; campaign: CampaignRow }> {
  const access = await diabolocomAccess(ctx, request, options);
  const id = positiveId(rawCampaignId);
  const campaign = id === undefined ? undefined : await loadCampaign(ctx.db, access.accountId, id);
  if (!campaign) throw campaignNotFound(rawCampaignId);
  return { access, campaign };
}
