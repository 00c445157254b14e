import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { DomainError } from '../../platform/errors.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import {
  countConversations,
  createConversation,
  createMessage,
  type ConversationListFilters,
} from '../../core/conversations/index.js';
import { listConversationViews } from '../../core/conversations/conversation-views.js';
import { ensureContactInbox, findContactInboxBySource } from '../../core/contacts/contact-inboxes.js';
import { validateCustomAttributeValues } from '../../core/custom-attributes/validate-values.js';
import {
  conversationFilterWhere,
  filterPayloadSchema,
  talliedConversationFilters,
  loadCustomAttributeTypes,
} from '../../core/filters/index.js';
import { chatwootAccess } from './access.js';
import { chatwootConversationSchema, toChatwootConversation } from './serializers/conversation.js';
import {
  accountParams,
  conversationFor,
  conversationParams,
  errorResponses,
  id,
  meOf,
  renderConversation,
  senderOf,
  visibleToUserId,
} from './conversation-scope.js';
import { registerConversationActions } from './conversation-actions.routes.js';

/** `labels=a`, `labels=a&labels=b` and `labels[]=a` all mean a list. */
const stringList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((label) => label.trim()).filter(Boolean),
  );

const statusFilter = z.enum(['all', 'open', 'resolved', 'pending', 'snoozed']).default('open');
const metaQuery = z.object({
  status: statusFilter,
  q: z.string().max(500).optional(),
  inbox_id: id.optional(),
  team_id: id.optional(),
  labels: stringList.optional(),
  'labels[]': stringList.optional(),
});
const listQuery = metaQuery.extend({
  assignee_type: z.enum(['me', 'unassigned', 'all', 'assigned']).default('all'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

const countsSchema = z.object({
  mine_count: z.number(),
  unassigned_count: z.number(),
  assigned_count: z.number(),
  all_count: z.number(),
});
const listSchema = z.object({
  data: z.object({ meta: countsSchema, payload: z.array(chatwootConversationSchema) }),
});

const createBody = z.object({
  source_id: z.string().trim().min(1).max(255),
  inbox_id: id,
  contact_id: id.optional(),
  additional_attributes: jsonObject().optional(),
  custom_attributes: jsonObject().optional(),
  status: z.enum(['open', 'resolved', 'pending', 'snoozed']).optional(),
  assignee_id: id.optional(),
  team_id: id.optional(),
  snoozed_until: z.iso.datetime({ offset: true }).optional(),
  message: z
    .object({
      content: z.string().min(1).max(150_000),
      template_params: jsonObject().optional(),
    })
    .optional(),
});

function filtersOf(query: z.infer<typeof metaQuery>, access: AccountAccess): ConversationListFilters {
  return {
    status: query.status,
    q: query.q,
    inboxId: query.inbox_id,
    teamId: query.team_id,
    labels: [...(query.labels ?? []), ...(query['labels[]'] ?? [])],
    visibleToUserId: visibleToUserId(access),
  };
}

async function listPage(
  ctx: AppContext,
  access: AccountAccess,
  filters: ConversationListFilters,
  assigneeType: z.infer<typeof listQuery>['assignee_type'],
  page: number,
) {
  const meUserId = meOf(access);
  // Two statements side by side: the page with all its relations, and the tab counts.
  const [views, counts] = await Promise.all([
    listConversationViews(ctx.db, access.accountId, { filters, assigneeType, meUserId, page }),
    countConversations(ctx.db, access.accountId, { filters, meUserId }),
  ]);
  return {
    data: {
      meta: {
        mine_count: counts.mine,
        unassigned_count: counts.unassigned,
        assigned_count: counts.assigned,
        all_count: counts.all,
      },
      payload: views.map((view) => toChatwootConversation(view.conversation, view.lastMessage, ctx.storage)),
    },
  };
}

async function resolveContactInbox(
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  accountId: number,
  body: z.infer<typeof createBody>,
) {
  if (body.contact_id !== undefined) {
    return ensureContactInbox(tx, {
      accountId,
      contactId: body.contact_id,
      inboxId: body.inbox_id,
      sourceId: body.source_id,
    });
  }
  const found = await findContactInboxBySource(tx, body.inbox_id, body.source_id);
  if (!found || found.accountId !== accountId) {
    throw new DomainError(
      'VALIDATION_FAILED',
      'No contact has this source_id in the inbox; pass contact_id',
      [{ path: 'source_id', message: 'matches no contact in this inbox; pass contact_id to create one' }],
    );
  }
  return found;
}

export function registerConversationsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/conversations';

  app.get(
    `${base}/meta`,
    {
      schema: {
        tags: ['chatwoot'],
        params: accountParams,
        querystring: metaQuery,
        response: { 200: z.object({ meta: countsSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const counts = await countConversations(ctx.db, access.accountId, {
        filters: filtersOf(request.query, access),
        meUserId: meOf(access),
      });
      return {
        meta: {
          mine_count: counts.mine,
          unassigned_count: counts.unassigned,
          assigned_count: counts.assigned,
          all_count: counts.all,
        },
      };
    },
  );

  app.get(
    base,
    {
      schema: {
        tags: ['chatwoot'],
        params: accountParams,
        querystring: listQuery,
        response: { 200: listSchema, ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return listPage(
        ctx,
        access,
        filtersOf(request.query, access),
        request.query.assignee_type,
        request.query.page,
      );
    },
  );

  app.post(
    `${base}/filter`,
    {
      schema: {
        tags: ['chatwoot'],
        params: accountParams,
        querystring: z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) }),
        body: filterPayloadSchema,
        response: { 200: listSchema, ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const tallied = talliedConversationFilters(request.body);
      if (tallied) {
        const filters = { status: 'all' as const, ...tallied, visibleToUserId: visibleToUserId(access) };
        return listPage(ctx, access, filters, 'all', request.query.page);
      }
      const types = await loadCustomAttributeTypes(ctx.db, access.accountId, 'conversation');
      const where = conversationFilterWhere(access.accountId, request.body, types);
      const filters: ConversationListFilters = {
        status: 'all',
        where,
        visibleToUserId: visibleToUserId(access),
      };
      return listPage(ctx, access, filters, 'all', request.query.page);
    },
  );

  app.post(
    base,
    {
      schema: {
        tags: ['chatwoot'],
        params: accountParams,
        body: createBody,
        response: { 200: chatwootConversationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id, {
        allowsAgentBot: true,
      });
      const { body } = request;
      if (body.custom_attributes) {
        await validateCustomAttributeValues(ctx.db, access.accountId, 'conversation', body.custom_attributes);
      }
      const row = await ctx.db.transaction(async (tx) => {
        const contactInbox = await resolveContactInbox(tx, access.accountId, body);
        const created = await createConversation(tx, {
          accountId: access.accountId,
          inboxId: body.inbox_id,
          contactId: contactInbox.contactId,
          contactInboxId: contactInbox.id,
          status: body.status,
          assigneeId: body.assignee_id,
          teamId: body.team_id,
          snoozedUntil: body.snoozed_until ? new Date(body.snoozed_until) : null,
          additionalAttributes: body.additional_attributes,
          customAttributes: body.custom_attributes,
          actor: access.actor,
        });
        if (!body.message) return created;
        const { conversation } = await createMessage(tx, {
          accountId: access.accountId,
          conversationId: created.id,
          messageType: 'outgoing',
          content: body.message.content,
          additionalAttributes: body.message.template_params
            ? { template_params: body.message.template_params }
            : {},
          sender: senderOf(access),
          actor: access.actor,
        });
        return conversation;
      });
      return renderConversation(ctx, row);
    },
  );

  app.get(
    `${base}/:conversation_id`,
    {
      schema: {
        tags: ['chatwoot'],
        params: conversationParams,
        response: { 200: chatwootConversationSchema, ...errorResponses },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      return renderConversation(ctx, await conversationFor(ctx, access, request.params.conversation_id));
    },
  );

  registerConversationActions(app, ctx);
}
