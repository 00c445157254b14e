import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { handleGroupJoinRequests, listGroupJoinRequests } from '../../core/whatsapp/group-join-requests.js';
import {
  getGroupInviteCode,
  revokeGroupInvite,
  updateGroupMetadata,
  updateGroupSetting,
} from '../../core/whatsapp/group-settings.js';
import { leaveGroup } from '../../core/whatsapp/leave-group.js';
import { digitsOfJid, groupSettings, inviteUrlOf } from '../../core/whatsapp/whatsapp-provider.js';
import { chatwootAccess } from './access.js';
import { chatwootErrors, sendEmptyOk } from './admin-schemas.js';
import {
  groupParams,
  groupTags,
  inviteSchema,
  participantsSchema,
  withProviderErrors,
} from './group-schemas.js';

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Group metadata, invite link, join requests, settings and leaving. */
export function registerGroupSettingsRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/api/v1/accounts/:account_id/contacts/:id';

  app.patch(
    `${base}/group_metadata`,
    {
      schema: {
        tags: groupTags,
        summary: 'Change the group’s subject and/or description',
        params: groupParams,
        body: z.object({
          subject: z.string().trim().min(1).max(100).optional(),
          description: z.string().max(2048).optional(),
        }),
        response: {
          200: z.object({
            id: z.number(),
            name: z.string(),
            additional_attributes: z.record(z.string(), z.unknown()),
          }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const group = await withProviderErrors(() =>
        updateGroupMetadata(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          subject: request.body.subject,
          description: request.body.description,
          actor: access.actor,
        }),
      );
      return { id: group.id, name: group.name, additional_attributes: group.additionalAttributes };
    },
  );

  app.get(
    `${base}/group_invite`,
    {
      schema: {
        tags: groupTags,
        summary: 'The group’s invite code and link',
        params: groupParams,
        response: { 200: inviteSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const code = await withProviderErrors(() =>
        getGroupInviteCode(ctx.db, access.accountId, request.params.id),
      );
      return { invite_code: code, invite_url: inviteUrlOf(code) };
    },
  );

  app.post(
    `${base}/group_invite/revoke`,
    {
      schema: {
        tags: groupTags,
        summary: 'Revoke the invite link and get a new one',
        params: groupParams,
        response: { 200: inviteSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const code = await withProviderErrors(() =>
        revokeGroupInvite(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          actor: access.actor,
        }),
      );
      return { invite_code: code, invite_url: inviteUrlOf(code) };
    },
  );

  app.get(
    `${base}/group_join_requests`,
    {
      schema: {
        tags: groupTags,
        summary: 'Pending requests to join the group',
        params: groupParams,
        response: {
          200: z.object({
            payload: z.array(
              z.object({
                jid: z.string(),
                phone_number: z.string(),
                request_method: z.string(),
                request_time: z.number(),
              }),
            ),
          }),
          ...chatwootErrors,
        },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const requests = await withProviderErrors(() =>
        listGroupJoinRequests(ctx.db, access.accountId, request.params.id),
      );
      return {
        payload: requests.map((item) => ({
          jid: item.jid,
          phone_number: digitsOfJid(item.jid),
          request_method: item.requestMethod,
          request_time: unixSeconds(item.requestedAt),
        })),
      };
    },
  );

  app.post(
    `${base}/group_join_requests/handle`,
    {
      schema: {
        tags: groupTags,
        summary: 'Approve or reject pending join requests',
        params: groupParams,
        // `request_action`, because Rails reserves `action` (the fork's naming, kept for its clients).
        body: z.object({ participants: participantsSchema, request_action: z.enum(['approve', 'reject']) }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        handleGroupJoinRequests(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          participants: request.body.participants,
          action: request.body.request_action,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );

  app.patch(
    `${base}/group_admin`,
    {
      schema: {
        tags: groupTags,
        summary: 'Turn a group setting on or off (announce, restrict, join approval, member add mode)',
        params: groupParams,
        body: z.object({ property: z.enum(groupSettings), enabled: z.boolean() }),
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        updateGroupSetting(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          setting: request.body.property,
          enabled: request.body.enabled,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );

  app.post(
    `${base}/group_admin/leave`,
    {
      schema: {
        tags: groupTags,
        summary: 'Leave the group; its open and pending conversations are resolved',
        params: groupParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      await withProviderErrors(() =>
        leaveGroup(ctx.db, {
          accountId: access.accountId,
          contactId: request.params.id,
          actor: access.actor,
        }),
      );
      return sendEmptyOk(reply);
    },
  );
}
