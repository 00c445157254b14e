import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/app-context.js';
import { notFound } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { loadCampaign } from '../../core/campaigns/campaigns.js';
import type { CampaignRow } from '../../core/campaigns/campaigns.tables.js';
import { accountAccess } from '../shared/access.js';

/** The caller's access and the campaign in the path (404 for another account's or an unknown one). */
export async function campaignInPath(
  ctx: AppContext,
  request: FastifyRequest,
  params: { accountId: number; campaignId: number },
  options: { isAdminOnly?: boolean } = {},
): Promise<{ access: AccountAccess; campaign: CampaignRow }> {
  const access = await accountAccess(ctx.db, request, params.accountId, options);
  const campaign = await loadCampaign(ctx.db, access.accountId, params.campaignId);
  if (!campaign) throw notFound('Campaign');
  return { access, campaign };
}
