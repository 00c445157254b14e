import type { Role } from './identity.tables.js';
import type { AgentProfile } from './agent-profiles.js';
import type { InvitedAgentProfile } from './agent-invitation-profiles.tables.js';

/**
 * An agent as a UUID-speaking face shows it: a member, or someone invited who has not answered yet
 * (shown from what the administrator typed, so the answer says nothing about who owns the email).
 */
export interface AgentCard {
  uuid: string;
  email: string;
  displayName: string;
  firstName: string | null;
  middleNames: string[];
  lastName: string | null;
  phoneNumber: string | null;
  additionalEmails: string[];
  additionalPhoneNumbers: string[];
  avatarUrl: string | null;
  role: Role;
  createdAt: Date;
  isPending: boolean;
}

export function cardOfProfile(profile: AgentProfile): AgentCard {
  return {
    uuid: profile.uuid,
    email: profile.email,
    displayName: profile.displayName ?? profile.name,
    firstName: profile.firstName,
    middleNames: profile.middleNames,
    lastName: profile.lastName,
    phoneNumber: profile.phoneNumber,
    additionalEmails: profile.additionalEmails,
    additionalPhoneNumbers: profile.additionalPhoneNumbers,
    avatarUrl: profile.avatarUrl,
    role: profile.role,
    createdAt: profile.createdAt,
    isPending: false,
  };
}

export function cardOfInvitation(invited: {
  uuid: string;
  email: string;
  role: Role;
  profile: InvitedAgentProfile;
  createdAt: Date;
}): AgentCard {
  const { profile } = invited;
  return {
    uuid: invited.uuid,
    email: invited.email,
    displayName: profile.displayName,
    firstName: profile.firstName ?? null,
    middleNames: profile.middleNames ?? [],
    lastName: profile.lastName ?? null,
    phoneNumber: profile.phoneNumber ?? null,
    additionalEmails: profile.additionalEmails ?? [],
    additionalPhoneNumbers: profile.additionalPhoneNumbers ?? [],
    avatarUrl: profile.avatarUrl ?? null,
    role: invited.role,
    createdAt: invited.createdAt,
    isPending: true,
  };
}

/** The full name a user row keeps: the typed names in order, else the display name. */
export function fullNameOf(fields: {
  displayName: string;
  firstName?: string | null | undefined;
  middleNames?: string[] | undefined;
  lastName?: string | null | undefined;
}): string {
  const parts = [fields.firstName, ...(fields.middleNames ?? []), fields.lastName];
  const joined = parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .join(' ');
  return joined || fields.displayName;
}
