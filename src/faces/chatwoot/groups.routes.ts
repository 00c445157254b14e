import { z } from 'zod';
import type { AppContext } from '../../platform/app-context.js';
import { DomainError } from '../../platform/errors.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { listContactInboxes } from '../../core/contacts/contact-inboxes.js';
import { isInboxMember } from '../../core/inboxes/inboxes.js';
import { createGroup, syncGroup } from '../../core/whatsapp/create-group.js';
import { listAllGroupMembers } from '../../core/whatsapp/list-group-members.js';
import { chatwootAccess } from './access.js';
import { accountParams, chatwootErrors, chatwootId } from './admin-schemas.js';
import { chatwootContactInboxSchema, toChatwootInboxContact } from './serializers/contact.js';
import { registerGroupMembersRoutes } from './group-members.routes.js';
import { registerGroupSettingsRoutes } from './group-settings.routes.js';
import {
  groupParams,
  groupTags,
  participantsSchema,
  toChatwootGroupMember,
  withProviderErrors,
} from './group-schemas.js';

/** Seed `contact-sync-group` 200: the group contact with its members. */
const syncedGroupSchema = z.object({
  payload: z.object({
    id: z.number(),
    name: z.string(),
    email: z.string().optional(),
    phone_number: z.string().optional(),
    identifier: z.string(),
    thumbnail: z.string(),
    custom_attributes: z.record(z.string(), z.unknown()),
    contact_inboxes: z.array(chatwootContactInboxSchema),
    group_members: z.array(
      z.object({
        id: z.number(),
        role: z.enum(['member', 'admin']),
        is_active: z.boolean(),
        contact: z.object({
          id: z.number(),
          name: z.string(),
          phone_number: z.string().optional(),
          identifier: z.string().optional(),
        }),
      }),
    ),
  }),
});

/** WhatsApp groups (the fork's feature): create and sync here; members and settings in their own files. */
export function registerGroupsRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/v1/accounts/:account_id/groups',
    {
      schema: {
        tags: groupTags,
        summary: 'Create a WhatsApp group through the inbox’s provider',
        params: accountParams,
        body: z.object({
          inbox_id: chatwootId,
          subject: z.string().trim().min(1).max(100),
          participants: participantsSchema,
        }),
        response: { 200: z.object({ group_jid: z.string(), subject: z.string() }), ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const { inbox_id: inboxId, subject, participants } = request.body;
      // As in the fork: an agent creates groups only in inboxes they answer.
      if (
        access.role === 'agent' &&
        access.principal.kind === 'user' &&
        !(await isInboxMember(ctx.db, access.accountId, inboxId, access.principal.userId))
      ) {
        throw new DomainError('FORBIDDEN', 'You do not have access to this inbox');
      }
      const created = await withProviderErrors(() =>
        createGroup(ctx.db, {
          accountId: access.accountId,
          inboxId,
          subject,
          participants,
          actor: access.actor,
        }),
      );
      return { group_jid: created.groupJid, subject: created.subject };
    },
  );

  app.post(
    '/api/v1/accounts/:account_id/contacts/:id/sync_group',
    {
      schema: {
        tags: ['Contacts'],
        summary: 'Sync a group contact’s metadata and members from the provider',
        params: groupParams,
        response: { 200: syncedGroupSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      const access = await chatwootAccess(ctx.db, request, request.params.account_id);
      const { group } = await withProviderErrors(
        () =>
          syncGroup(ctx.db, {
            accountId: access.accountId,
            contactId: request.params.id,
            actor: access.actor,
          }),
        'BAD_REQUEST',
      );
      const [addresses, members] = await Promise.all([
        listContactInboxes(ctx.db, access.accountId, [group.id]),
        listAllGroupMembers(ctx.db, { accountId: access.accountId, contactId: group.id }),
      ]);
      return {
        payload: {
          id: group.id,
          name: group.name,
          ...(group.email !== null && { email: group.email }),
          ...(group.phoneNumber !== null && { phone_number: group.phoneNumber }),
          identifier: group.identifier ?? group.groupJid,
          thumbnail: group.avatarUrl ?? '',
          custom_attributes: group.customAttributes,
          contact_inboxes: addresses.map((address) => ({
            source_id: address.sourceId,
            inbox: toChatwootInboxContact(address.inbox),
          })),
          group_members: members.map((view) => {
            const { group_contact_id: _groupContactId, ...member } = toChatwootGroupMember(view);
            const { thumbnail: _thumbnail, ...contact } = member.contact;
            return { ...member, contact };
          }),
        },
      };
    },
  );

  registerGroupMembersRoutes(app, ctx);
  registerGroupSettingsRoutes(app, ctx);
}
