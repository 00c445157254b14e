import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  accountConversationMetrics,
  agentConversationMetrics,
  reportSummary,
  reportTimeseries,
  resolveScope,
} from '../../core/reports/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';
import { registerReportBreakdownRoutes } from './reports-breakdowns.routes.js';
import { registerReportingEventsRoutes } from './reports-events.routes.js';
import { rangeOf, toTimeseries, toTotals } from './reports.map.js';
import {
  accountConversationsResponse,
  agentConversationsResponse,
  conversationsQuery,
  scopedQuery,
  summaryResponse,
  timeseriesQuery,
  timeseriesResponse,
} from './reports.schemas.js';

const tags = ['Reports'];
export const reportsBase = '/api/v2/accounts/:account_id';

/**
 * Chatwoot's v2 reports, read from the reporting counters the analytics consumer keeps as things
 * happen. Reports are for administrators, as Chatwoot's report policy has it.
 */
export function registerReportsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    `${reportsBase}/reports`,
    {
      schema: {
        tags,
        summary: 'A metric per day, week, month or year for the account, an agent, inbox, label or team',
        params: accountParams,
        querystring: timeseriesQuery,
        response: { 200: timeseriesResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const { query } = request;
      const scope = await resolveScope(ctx.db, access.accountId, query.type, query.id);
      const points = await reportTimeseries(ctx.db, {
        scope,
        metric: query.metric,
        range: rangeOf(query),
        groupBy: query.group_by,
      });
      return toTimeseries(points);
    },
  );

  app.get(
    `${reportsBase}/reports/summary`,
    {
      schema: {
        tags,
        summary: 'Every metric over the range, with the same figures for the period before it',
        params: accountParams,
        querystring: scopedQuery,
        response: { 200: summaryResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const scope = await resolveScope(ctx.db, access.accountId, request.query.type, request.query.id);
      const { current, previous } = await reportSummary(ctx.db, scope, rangeOf(request.query));
      return { ...toTotals(current), previous: toTotals(previous) };
    },
  );

  // Chatwoot serves the account figures and the per-agent list from one action; the seed lists
  // the agent variant under the trailing-slash path.
  for (const path of [`${reportsBase}/reports/conversations`, `${reportsBase}/reports/conversations/`]) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary:
            'Open, unattended and unassigned conversations now (type=account), or per agent (type=agent)',
          params: accountParams,
          querystring: conversationsQuery,
          response: { 200: accountConversationsResponse.or(agentConversationsResponse), ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await chatwootAccess(ctx.db, request, request.params.account_id, {
          isAdminOnly: true,
        });
        if (request.query.type === 'account') return accountConversationMetrics(ctx.db, access.accountId);
        const agents = await agentConversationMetrics(ctx.db, access.accountId, request.query.user_id);
        return agents.map((agent) => ({
          id: agent.id,
          name: agent.name,
          email: agent.email,
          thumbnail: agent.avatarUrl ?? '',
          availability: agent.availability,
          metric: { open: agent.open, unattended: agent.unattended },
        }));
      },
    );
  }

  registerReportBreakdownRoutes(app, ctx);
  registerReportingEventsRoutes(app, ctx);
}
