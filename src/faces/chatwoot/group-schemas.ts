import { z } from 'zod';
import { DomainError, isDomainError } from '../../platform/errors.js';
import type { GroupMemberView } from '../../core/whatsapp/list-group-members.js';
import type { GroupMemberRole } from '../../core/whatsapp/whatsapp.tables.js';
import { accountResourceParams, chatwootId } from './admin-schemas.js';

/** What the Chatwoot group routes share: params, bodies, the seed's member shape, error mapping. */
export const groupTags = ['Groups'];

export const groupParams = accountResourceParams;
export const groupMemberParams = accountResourceParams.extend({ member_id: chatwootId });

/** A participant as the fork takes it: E.164 digits without + (a + or a user JID is accepted too). */
export const participantSchema = z
  .string()
  .trim()
  .regex(
    /^\+?\d{6,15}(@s\.whatsapp\.net)?$/,
    'must be a phone number in E.164 format without + (e.g. 5511999999999)',
  );

export const participantsSchema = z.array(participantSchema).min(1).max(256);

/** Seed `group_member`; `superadmin` (the creator) is shown as `admin`, the seed's only other role. */
export const groupMemberSchema = z.object({
  id: z.number(),
  role: z.enum(['member', 'admin']),
  is_active: z.boolean(),
  group_contact_id: z.number(),
  contact: z.object({
    id: z.number(),
    name: z.string(),
    phone_number: z.string().optional(),
    identifier: z.string().optional(),
    thumbnail: z.string(),
  }),
});

export function toChatwootRole(role: GroupMemberRole): 'member' | 'admin' {
  return role === 'member' ? 'member' : 'admin';
}

export function toChatwootGroupMember(view: GroupMemberView): z.infer<typeof groupMemberSchema> {
  const { member, contact } = view;
  return {
    id: member.id,
    role: toChatwootRole(member.role),
    is_active: member.isActive,
    group_contact_id: member.groupContactId,
    contact: {
      id: contact.id,
      name: contact.name,
      // The seed types these as strings without null: absent values are left out.
      ...(contact.phoneNumber !== null && { phone_number: contact.phoneNumber }),
      ...(contact.identifier !== null && { identifier: contact.identifier }),
      thumbnail: contact.avatarUrl ?? '',
    },
  };
}

export const inviteSchema = z.object({ invite_code: z.string(), invite_url: z.string() });

/**
 * The fork answers a provider it cannot reach (or one that cannot manage groups) with 422
 * "Provider unavailable"; sync answers 400 when no supported inbox serves the group.
 */
export async function withProviderErrors<T>(
  run: () => Promise<T>,
  code: 'VALIDATION_FAILED' | 'BAD_REQUEST' = 'VALIDATION_FAILED',
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDomainError(error) && error.code === 'UNAVAILABLE') {
      throw new DomainError(code, error.message, [{ path: 'provider', message: 'is unavailable' }]);
    }
    throw error;
  }
}
