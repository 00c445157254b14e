import { z } from 'zod';
import type { UserRow } from '../../../core/identity/identity.tables.js';
import type { UserAccountMembership } from '../../../core/identity/profile.js';
import { toChatwootAvailability } from './agent.js';

/**
 * Seed `user` (profile and platform users). Only display_name, message_signature, type and each
 * account's custom role are nullable there; a user in no account has no account_id or role.
 */
export const chatwootUserSchema = z.object({
  id: z.number(),
  access_token: z.string().optional(),
  account_id: z.number().optional(),
  available_name: z.string(),
  avatar_url: z.string(),
  confirmed: z.boolean(),
  display_name: z.string().nullable(),
  message_signature: z.string().nullable(),
  email: z.string(),
  hmac_identifier: z.string(),
  name: z.string(),
  provider: z.string(),
  pubsub_token: z.string(),
  role: z.enum(['agent', 'administrator']).optional(),
  ui_settings: z.record(z.string(), z.unknown()),
  uid: z.string(),
  type: z.string().nullable(),
  custom_attributes: z.record(z.string(), z.unknown()),
  accounts: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      status: z.string(),
      active_at: z.string(),
      role: z.enum(['administrator', 'agent']),
      permissions: z.array(z.string()),
      availability: z.string(),
      availability_status: z.string(),
      auto_offline: z.boolean(),
      custom_role_id: z.number().nullable(),
      custom_role: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});

export type ChatwootUser = z.infer<typeof chatwootUserSchema>;

/**
 * `accessToken` only when the caller may see it: Parley stores tokens hashed, so it is the token
 * just issued (platform create) or the one the caller presented (profile).
 */
export function toChatwootUser(
  user: UserRow,
  memberships: UserAccountMembership[],
  accessToken?: string,
): ChatwootUser {
  const [first] = memberships;
  return {
    id: user.id,
    ...(accessToken !== undefined && { access_token: accessToken }),
    account_id: first?.accountId,
    available_name: user.displayName ?? user.name,
    avatar_url: user.avatarUrl ?? '',
    confirmed: user.passwordHash !== null,
    display_name: user.displayName,
    message_signature: user.messageSignature,
    email: user.email,
    // Widget identity validation and real-time channels are keyed per contact inbox in Parley.
    hmac_identifier: '',
    name: user.name,
    provider: 'email',
    pubsub_token: '',
    role: first?.role,
    ui_settings: user.uiSettings,
    uid: user.email,
    type: 'User',
    custom_attributes: user.customAttributes,
    accounts: memberships.map((membership) => ({
      id: membership.accountId,
      name: membership.name,
      status: membership.status,
      active_at: membership.updatedAt.toISOString(),
      role: membership.role,
      permissions: [membership.role],
      availability: membership.availability,
      availability_status: toChatwootAvailability(membership.availability),
      auto_offline: membership.autoOffline,
      custom_role_id: null,
      custom_role: null,
    })),
  };
}
