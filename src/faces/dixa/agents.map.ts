import { z } from 'zod';
import type { AgentCard } from '../../core/identity/agent-cards.js';
import type { AgentProfileChanges } from '../../core/identity/change-agent-profile.js';
import type { Role } from '../../core/identity/identity.tables.js';
import type { AgentPageRequest } from '../../core/identity/agent-pages.js';
import { DEFAULT_PAGE_LIMIT, decodePageKey } from './pagination.js';

/**
 * Dixa roles on Parley's two: Dixa's Agent is Parley's `agent`; Admin is Parley's `administrator`,
 * who also handles conversations, so carries Agent too. TeamLead and SystemAdmin have no Parley
 * counterpart and are never reported: a team lead is an agent in a team, a system admin an
 * administrator. Agents created through this face are Parley agents (Dixa's "Create an agent").
 */
const dixaRolesOf: Record<Role, string[]> = { agent: ['Agent'], administrator: ['Agent', 'Admin'] };

/** Seed `Agent`: optional fields are omitted when empty, never null. */
export const dixaAgentSchema = z.object({
  id: z.string(),
  email: z.string(),
  roles: z.array(z.string()).optional(),
  lastName: z.string().optional(),
  avatarUrl: z.string().optional(),
  createdAt: z.string(),
  firstName: z.string().optional(),
  displayName: z.string(),
  middleNames: z.array(z.string()).optional(),
  phoneNumber: z.string().optional(),
  additionalEmails: z.array(z.string()).optional(),
  additionalPhoneNumbers: z.array(z.string()).optional(),
});
export type DixaAgent = z.infer<typeof dixaAgentSchema>;

export function toDixaAgent(card: AgentCard): DixaAgent {
  return {
    id: card.uuid,
    email: card.email,
    roles: dixaRolesOf[card.role],
    ...(card.lastName !== null && { lastName: card.lastName }),
    ...(card.avatarUrl !== null && { avatarUrl: card.avatarUrl }),
    createdAt: card.createdAt.toISOString(),
    ...(card.firstName !== null && { firstName: card.firstName }),
    displayName: card.displayName,
    middleNames: card.middleNames,
    ...(card.phoneNumber !== null && { phoneNumber: card.phoneNumber }),
    additionalEmails: card.additionalEmails,
    additionalPhoneNumbers: card.additionalPhoneNumbers,
  };
}

// Dixa's examples write phone numbers in E.164 (+551155256325); end users downgraded from agents
// keep them, and contacts require E.164, so agents do too.
const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, { message: 'must be a phone number in E.164 format, e.g. +4512345678' });
const name = z.string().trim().min(1).max(255);
const email = z.email({ message: 'must be an email address' }).max(320);

const profileFields = {
  lastName: name.optional(),
  avatarUrl: z.url({ message: 'must be a URL' }).max(2048).optional(),
  firstName: name.optional(),
  middleNames: z.array(name).max(20).optional(),
  phoneNumber: phoneNumber.optional(),
  additionalEmails: z.array(email).max(50).optional(),
  additionalPhoneNumbers: z.array(phoneNumber).max(50).optional(),
};

/** Seed `CreateAgentInput`. */
export const createAgentInputSchema = z.object({ email, displayName: name, ...profileFields });
/** Seed `PatchAgentInput`: every field optional. */
export const patchAgentInputSchema = z.object({ displayName: name.optional(), ...profileFields });
/** Seed `UpdateAgentInput`: displayName required; what is left out is cleared. */
export const updateAgentInputSchema = z.object({ displayName: name, ...profileFields });

export type PatchAgentInput = z.infer<typeof patchAgentInputSchema>;
export type UpdateAgentInput = z.infer<typeof updateAgentInputSchema>;

export function patchChanges(input: PatchAgentInput): AgentProfileChanges {
  return { ...input };
}

/** PUT replaces the profile: a field left out is cleared. */
export function updateChanges(input: UpdateAgentInput): AgentProfileChanges {
  return {
    displayName: input.displayName,
    firstName: input.firstName ?? null,
    middleNames: input.middleNames ?? [],
    lastName: input.lastName ?? null,
    phoneNumber: input.phoneNumber ?? null,
    avatarUrl: input.avatarUrl ?? null,
    additionalEmails: input.additionalEmails ?? [],
    additionalPhoneNumbers: input.additionalPhoneNumbers ?? [],
  };
}

/** A Dixa page key (or none) as a request for one page of agents walked by user id. */
export function agentPageRequest(query: {
  pageKey?: string | undefined;
  pageLimit?: number | undefined;
}): AgentPageRequest {
  const key = decodePageKey(query.pageKey, z.number().int().nonnegative());
  const limit = query.pageLimit ?? DEFAULT_PAGE_LIMIT;
  if (!key) return { limit };
  return key.direction === 'next' ? { afterUserId: key.cursor, limit } : { beforeUserId: key.cursor, limit };
}
