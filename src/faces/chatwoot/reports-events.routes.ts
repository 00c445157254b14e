import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import {
  listConversationReportingEvents,
  listReportingEvents,
  type ListedReportingEvent,
} from '../../core/reports/index.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors } from './admin-schemas.js';
import { conversationFor, conversationParams } from './conversation-scope.js';
import { reportingEventSchema, reportingEventsQuery, reportingEventsResponse } from './reports.schemas.js';
import { z } from 'zod';

const PAGE_SIZE = 25;

/** Seed `reporting_event`; `conversation_id` is the conversation's id in this face (its display id). */
function toChatwoot(event: ListedReportingEvent): z.infer<typeof reportingEventSchema> {
  return {
    id: event.id,
    name: event.name,
    value: event.value,
    event_start_time: event.startedAt.toISOString(),
    event_end_time: event.endedAt.toISOString(),
    account_id: event.accountId,
    conversation_id: event.conversationDisplayId,
    inbox_id: event.inboxId,
    user_id: event.userId,
    created_at: event.createdAt.toISOString(),
    updated_at: event.createdAt.toISOString(),
  };
}

/** First responses, resolutions and reply times as Chatwoot lists them: per account (paged) and per conversation. */
export function registerReportingEventsRoutes(app: TypedApp, ctx: AppContext): void {
  app.get(
    '/api/v1/accounts/:account_id/reporting_events',
    {
      schema: {
        tags: ['Reports'],
        summary: "The account's reporting events, newest first, 25 per page (administrators)",
        params: accountParams,
        querystring: reportingEventsQuery,
        response: { 200: reportingEventsResponse, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, { isAdminOnly: true });
      const { page, since, until, inbox_id: inboxId, user_id: userId, name } = request.query;
      const { items, count } = await listReportingEvents(
        ctx.db,
        { accountId: access.accountId, since, until, inboxId, userId, name },
        { number: page, size: PAGE_SIZE },
      );
      return {
        meta: { count, current_page: page, total_pages: Math.ceil(count / PAGE_SIZE) },
        payload: items.map(toChatwoot),
      };
    },
  );

  app.get(
    '/api/v1/accounts/:account_id/conversations/:conversation_id/reporting_events',
    {
      schema: {
        tags: ['Conversations'],
        summary: "A conversation's reporting events, oldest first",
        params: conversationParams,
        response: { 200: z.array(reportingEventSchema), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const conversation = await conversationFor(ctx, access, request.params.conversation_id);
      const events = await listConversationReportingEvents(ctx.db, access.accountId, conversation.id);
      return events.map(toChatwoot);
    },
  );
}
