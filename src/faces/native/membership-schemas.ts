import { z } from 'zod';
import type { Member } from '../../core/identity/members.js';
import type { InvitationView } from '../../core/identity/invitations.js';
import { iso, isoDate } from './schemas.js';

export const role = z.enum(['administrator', 'agent']);
export const availability = z.enum(['online', 'busy', 'offline']);

export const memberSchema = z.object({
  accountId: z.number(),
  userId: z.number(),
  role,
  availability,
  name: z.string(),
  displayName: z.string().nullable(),
  email: z.string(),
  createdAt: isoDate,
});

export function toMemberDto(member: Member): z.infer<typeof memberSchema> {
  return { ...member, createdAt: iso(member.createdAt) };
}

/** What the inviting account sees: the email and name it typed, never who (if anyone) owns the email. */
export const invitationSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  email: z.string(),
  name: z.string().nullable(),
  role,
  status: z.enum(['pending', 'accepted', 'declined', 'revoked', 'expired']),
  expiresAt: isoDate,
  respondedAt: isoDate.nullable(),
  createdAt: isoDate,
});

/** The answer to an invitation: the same fields whether or not the email already has a user. */
export const createdInvitationSchema = invitationSchema.extend({
  token: z
    .string()
    .describe(
      'Shown once. Hand it to the invited person: without a Parley user they accept with it at ' +
        'POST /api/v1/invitations/accept; with one they can also sign in and accept from GET /api/v1/invitations.',
    ),
});

export function toInvitationDto(invitation: InvitationView): z.infer<typeof invitationSchema> {
  return {
    id: invitation.id,
    accountId: invitation.accountId,
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    status: invitation.status,
    expiresAt: iso(invitation.expiresAt),
    respondedAt: iso(invitation.respondedAt),
    createdAt: iso(invitation.createdAt),
  };
}
