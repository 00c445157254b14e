import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { loadCampaignStats, loadCampaignStatsByIds } from '../../core/campaigns/campaign-progress.js';
import { listRecentCalls, type RecentCall } from '../../core/dialer/dialer-recent-calls.js';
import { accountAccess } from '../shared/access.js';
import { accountParams, commonErrors, idParam, iso, isoDate, pageOf, pageQuery } from './schemas.js';
import { nativeCampaignStatsSchema, toNativeCampaignStats } from './campaign-contacts.map.js';
import { campaignInPath } from './campaign-access.js';

const tags = ['campaigns'];
const campaignParams = accountParams.extend({ campaignId: idParam });

/** "1,2,3": up to 200 distinct campaign ids. */
const idList = z
  .string()
  .max(4000)
  .transform((text, context) => {
    const ids = [...new Set(text.split(',').map((part) => part.trim()))].map((part) =>
      /^\d{1,15}$/.test(part) ? Number(part) : NaN,
    );
    if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) {
      context.addIssue({ code: 'custom', message: 'must be comma-separated campaign ids' });
      return z.NEVER;
    }
    if (ids.length > 200) {
      context.addIssue({ code: 'custom', message: 'at most 200 campaign ids' });
      return z.NEVER;
    }
    return ids;
  })
  .describe('Comma-separated campaign ids (at most 200)');

const decisionSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  reason: z.string(),
  decidedAt: isoDate,
  details: z.record(z.string(), z.unknown()),
});

const recentCallSchema = z.object({
  id: z.number().int().describe('The attempt id'),
  campaignContactId: z.number().int().nullable(),
  contactNumber: z.number().int().nullable(),
  phoneName: z.string(),
  phoneNumber: z.string(),
  mode: z.string(),
  agentId: z.number().int().nullable(),
  agentName: z.string().nullable(),
  callId: z.number().int().nullable(),
  outcome: z.string().nullable().describe('null while ringing'),
  placedAt: isoDate,
  answeredAt: isoDate.nullable(),
  connectedAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  wrappedUpAt: isoDate.nullable(),
  wrapupId: z.number().int().nullable(),
  wrapupName: z.string().nullable(),
  wrapupStatus: z.string().nullable(),
  decisions: z.array(decisionSchema).describe('Why it was dialled (kind dial) and what followed, in order'),
});

function toRecentCall({ attempt, decisions, ...names }: RecentCall): z.infer<typeof recentCallSchema> {
  return {
    id: attempt.id,
    campaignContactId: attempt.campaignContactId,
    contactNumber: names.contactNumber,
    phoneName: attempt.phoneName,
    phoneNumber: attempt.phoneNumber,
    mode: attempt.mode,
    agentId: attempt.agentId,
    agentName: names.agentName,
    callId: attempt.callId,
    outcome: attempt.outcome,
    placedAt: iso(attempt.placedAt),
    answeredAt: iso(attempt.answeredAt),
    connectedAt: iso(attempt.connectedAt),
    endedAt: iso(attempt.endedAt),
    wrappedUpAt: iso(attempt.wrappedUpAt),
    wrapupId: attempt.wrapupId,
    wrapupName: names.wrapupName,
    wrapupStatus: attempt.wrapupStatus,
    decisions: decisions.map((decision) => ({
      id: decision.id,
      kind: decision.kind,
      reason: decision.reason,
      decidedAt: iso(decision.decidedAt),
      details: decision.details,
    })),
  };
}

/**
 * What the campaigns screen shows beside the settings: contacts by progress, calls today and the
 * 30-day abandonment against the cap (members may read, as they read campaigns), and the recent
 * dials with the decisions behind them (administrators, as the dialer's audit).
 */
export function registerNativeCampaignStatsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/v1/accounts/:accountId/campaign-stats',
    {
      schema: {
        tags,
        summary: "Figures of several campaigns at once (ids of other accounts' campaigns are left out)",
        params: accountParams,
        querystring: z.object({ campaignIds: idList }),
        response: { 200: z.object({ data: z.array(nativeCampaignStatsSchema) }), ...commonErrors },
      },
    },
    async (request) => {
      const access = await accountAccess(ctx.db, request, request.params.accountId);
      const ids = request.query.campaignIds;
      const stats = await loadCampaignStatsByIds(ctx.db, access.accountId, ids, new Date());
      return { data: stats.map(toNativeCampaignStats) };
    },
  );

  app.get(
    '/v1/accounts/:accountId/campaigns/:campaignId/stats',
    {
      schema: {
        tags,
        summary:
          "A campaign's figures: contacts by progress, calls today, 30-day abandonment against the cap",
        params: campaignParams,
        response: { 200: nativeCampaignStatsSchema, ...commonErrors },
      },
    },
    async (request) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params);
      const stats = await loadCampaignStats(ctx.db, access.accountId, [campaign], new Date());
      const found = stats.get(campaign.id);
      if (!found) throw new Error('campaign stats missing');
      return toNativeCampaignStats(found);
    },
  );

  app.get(
    '/v1/accounts/:accountId/campaigns/:campaignId/dialer/recent-calls',
    {
      schema: {
        tags: ['dialer'],
        summary: "The campaign's dials, newest first, each with the dialer's decisions about it",
        params: campaignParams,
        querystring: pageQuery,
        response: { 200: pageOf(recentCallSchema), ...commonErrors },
      },
    },
    async (request) => {
      const { access, campaign } = await campaignInPath(ctx, request, request.params, { isAdminOnly: true });
      const page = await listRecentCalls(ctx.db, {
        accountId: access.accountId,
        campaignId: campaign.id,
        beforeId: request.query.cursor,
        limit: request.query.limit,
      });
      return { data: page.items.map(toRecentCall), nextCursor: page.nextCursor };
    },
  );
}
