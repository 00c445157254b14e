import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listGroupMembers } from '../../core/whatsapp/list-group-members.js';
import {
  addGroupMembers,
  removeGroupMember,
  updateGroupMemberRole,
} from '../../core/whatsapp/manage-group-members.js';
import { chatwootAccess } from './access.js';
import { chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import {
  groupMemberParams,
  groupMemberSchema,
  groupParams,
  groupTags,
  participantsSchema,
  toChatwootGroupMember,
  withProviderErrors,
} from './group-schemas.js';

const DEFAULT_PER_PAGE = 10;
const MAX_PER_PAGE = 100;

/** Group members: a page of them (the inbox's own number first), add, promote/demote, remove. */
export function registerGroupMembersRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/contacts/:id/group_members';

  app.get(
    base,
    {
      schema: {
        tags: groupTags,
        summary: 'List a group’s active members, paged',
        params: groupParams,
        querystring: z.object({
          page: z.coerce.number().int().min(1).max(1_000_000).default(1),
          per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(DEFAULT_PER_PAGE),
        }),
        response: {
          200: z.object({
            payload: z.array(groupMemberSchema),
            meta: z.object({
              total_count: z.number().int(),
              page: z.number().int(),
              per_page: z.number().int(),
              inbox_phone_number: z.string(),
            }),
          }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const { page, per_page: perPage } = request.query;
      const result = await withProviderErrors(() =>
        listGroupMembers(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          page,
          perPage,
        }),
      );
      return {
        payload: result.members.map(toChatwootGroupMember),
        meta: {
          total_count: result.totalCount,
          page,
          per_page: perPage,
          inbox_phone_number: result.inboxPhoneNumber ?? '',
        },
      };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags: groupTags,
        summary: 'Add participants to the group',
        params: groupParams,
        body: z.object({ participants: participantsSchema }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        addGroupMembers(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          participants: request.body.participants,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );

  app.patch(
    `${base}/:member_id`,
    {
      schema: {
        tags: groupTags,
        summary: 'Promote a member to admin, or demote an admin',
        params: groupMemberParams,
        body: z.object({ role: z.enum(['admin', 'member']) }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        updateGroupMemberRole(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          memberId: request.params.member_id,
          role: request.body.role,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );

  app.delete(
    `${base}/:member_id`,
    {
      schema: {
        tags: groupTags,
        summary: 'Remove a member from the group',
        params: groupMemberParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        removeGroupMember(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          memberId: request.params.member_id,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );
}
