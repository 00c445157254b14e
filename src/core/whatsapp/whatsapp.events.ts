import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { groupMemberRoles } from './whatsapp.tables.js';

const groupRef = { groupContactId: z.number(), inboxId: z.number(), groupJid: z.string() };

const memberSnapshot = z.object({
  memberId: z.number(),
  contactId: z.number(),
  role: z.enum(groupMemberRoles),
  isActive: z.boolean(),
});
export type GroupMemberSnapshot = z.infer<typeof memberSnapshot>;

/** A WhatsApp group was created through Parley, or first seen from the provider. */
export const whatsappGroupCreated = defineEvent({
  type: 'whatsapp_group.created',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: 'A WhatsApp group (a group contact) was created or first learned from the provider.',
  payloadSchema: z.object({ ...groupRef, subject: z.string() }),
});

/** Members joined, left, were added, removed, promoted or demoted. */
export const whatsappGroupMembersChanged = defineEvent({
  type: 'whatsapp_group.members_changed',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: "A WhatsApp group's members changed (added, removed, promoted, demoted, joined, left).",
  payloadSchema: z.object({
    ...groupRef,
    action: z.enum(['add', 'remove', 'promote', 'demote']),
    /** Who did it: `parley` for an API call, `provider` for something that happened in WhatsApp. */
    origin: z.enum(['parley', 'provider']),
    members: z.array(memberSnapshot),
  }),
});

/** Subject, description, picture or a setting changed. */
export const whatsappGroupUpdated = defineEvent({
  type: 'whatsapp_group.updated',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: "A WhatsApp group's subject, description, picture or settings changed.",
  payloadSchema: z.object({
    ...groupRef,
    origin: z.enum(['parley', 'provider']),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  }),
});

/** The invite link was revoked and a new one issued. */
export const whatsappGroupInviteRevoked = defineEvent({
  type: 'whatsapp_group.invite_revoked',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: "A WhatsApp group's invite link was revoked and replaced.",
  payloadSchema: z.object(groupRef),
});

/** Pending join requests were approved or rejected. */
export const whatsappGroupJoinRequestsHandled = defineEvent({
  type: 'whatsapp_group.join_requests_handled',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: 'Pending join requests of a WhatsApp group were approved or rejected.',
  payloadSchema: z.object({
    ...groupRef,
    action: z.enum(['approve', 'reject']),
    participants: z.array(z.object({ jid: z.string(), status: z.string() })),
  }),
});

/** The inbox's number left the group; its open conversations were resolved. */
export const whatsappGroupLeft = defineEvent({
  type: 'whatsapp_group.left',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: "The inbox's number left a WhatsApp group; the group's open conversations were resolved.",
  payloadSchema: z.object({ ...groupRef, resolvedConversationIds: z.array(z.number()) }),
});

/** Parley refreshed the group from the provider. */
export const whatsappGroupSynced = defineEvent({
  type: 'whatsapp_group.synced',
  aggregateType: 'whatsapp_group',
  version: 1,
  description: 'A WhatsApp group was synced from the provider (metadata and members).',
  payloadSchema: z.object({ ...groupRef, activeMemberCount: z.number() }),
});
