import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  channelSummary,
  firstResponseDistribution,
  inboxLabelMatrix,
  outgoingMessagesCount,
  summaryReportBy,
  type SummaryDimension,
} from '../../core/reports/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';
import { assertSixMonthsAtMost, rangeOf, roundedOrNull } from './reports.map.js';
import {
  channelSummaryResponse,
  distributionResponse,
  entitySummaryResponse,
  matrixQuery,
  matrixResponse,
  outgoingQuery,
  outgoingResponse,
  rangeQuery,
} from './reports.schemas.js';
import { chatwootChannelTypes } from './serializers/inbox.js';

const tags = ['Reports'];
const base = '/api/v2/accounts/:account_id';
const channelClasses: Partial<Record<string, string>> = chatwootChannelTypes;
const channelClassOf = (channelType: string) => channelClasses[channelType] ?? channelType;

/** Chatwoot's breakdowns: per channel, inbox, agent, team and label. Administrators only. */
export function registerReportBreakdownRoutes(app: TypedApp, ctx: AppContext): void {
  const admitted = (request: Parameters<typeof chatwootAccess>[1], accountId: number) =>
    chatwootAccess(ctx.db, request, accountId, { isAdminOnly: true });

  app.get(
    `${base}/summary_reports/channel`,
    {
      schema: {
        tags,
        summary: 'Conversations created in the range by channel type and status (at most 6 months)',
        params: accountParams,
        querystring: rangeQuery,
        response: { 200: channelSummaryResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admitted(request, request.params.account_id);
      const range = rangeOf(request.query);
      assertSixMonthsAtMost(range);
      const rows = await channelSummary(ctx.db, access.accountId, range);
      return Object.fromEntries(
        rows.map(({ channelType, ...counts }) => [channelClassOf(channelType), counts]),
      );
    },
  );

  for (const by of ['inbox', 'agent', 'team'] as const satisfies readonly SummaryDimension[]) {
    app.get(
      `${base}/summary_reports/${by}`,
      {
        schema: {
          tags,
          summary: `Conversations, resolutions and average times per ${by}`,
          params: accountParams,
          querystring: rangeQuery,
          response: { 200: entitySummaryResponse, ...chatwootErrors },
        },
      },
      async (request) => {
        const access = await admitted(request, request.params.account_id);
        const rows = await summaryReportBy(ctx.db, access.accountId, by, rangeOf(request.query));
        return rows.map((row) => ({
          id: row.id,
          conversations_count: row.conversationsCount,
          resolved_conversations_count: row.resolvedConversationsCount,
          avg_resolution_time: roundedOrNull(row.avgResolutionTime),
          avg_first_response_time: roundedOrNull(row.avgFirstResponseTime),
          avg_reply_time: roundedOrNull(row.avgReplyTime),
        }));
      },
    );
  }

  app.get(
    `${base}/reports/first_response_time_distribution`,
    {
      schema: {
        tags,
        summary: 'First responses in the range by channel type and time bin',
        params: accountParams,
        querystring: rangeQuery,
        response: { 200: distributionResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admitted(request, request.params.account_id);
      const bins = await firstResponseDistribution(ctx.db, access.accountId, rangeOf(request.query));
      return Object.fromEntries(
        [...bins].map(([channelType, counts]) => [channelClassOf(channelType), counts]),
      );
    },
  );

  app.get(
    `${base}/reports/inbox_label_matrix`,
    {
      schema: {
        tags,
        summary: 'Conversations created in the range per inbox and label',
        params: accountParams,
        querystring: matrixQuery,
        response: { 200: matrixResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admitted(request, request.params.account_id);
      const { query } = request;
      return inboxLabelMatrix(ctx.db, {
        accountId: access.accountId,
        range: rangeOf(query),
        inboxIds: query.inbox_ids ?? query['inbox_ids[]'],
        labelIds: query.label_ids ?? query['label_ids[]'],
      });
    },
  );

  app.get(
    `${base}/reports/outgoing_messages_count`,
    {
      schema: {
        tags,
        summary: 'Outgoing messages in the range per agent, team, inbox or label',
        params: accountParams,
        querystring: outgoingQuery,
        response: { 200: outgoingResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await admitted(request, request.params.account_id);
      const rows = await outgoingMessagesCount(
        ctx.db,
        access.accountId,
        request.query.group_by,
        rangeOf(request.query),
      );
      return rows.map((row) => ({ id: row.id, name: row.name, outgoing_messages_count: row.count }));
    },
  );
}
