import { z } from 'zod';
import type { Agent } from '../../../core/identity/agents.js';
import type { Availability } from '../../../core/identity/identity.tables.js';

/** Chatwoot says `available` where Parley says `online`. */
export const chatwootAvailability = z.enum(['available', 'busy', 'offline']);
export type ChatwootAvailability = z.infer<typeof chatwootAvailability>;

export function toChatwootAvailability(availability: Availability): ChatwootAvailability {
  return availability === 'online' ? 'available' : availability;
}

export function fromChatwootAvailability(availability: ChatwootAvailability): Availability {
  return availability === 'available' ? 'online' : availability;
}

/** Seed schema `agent`. */
export const chatwootAgentSchema = z.object({
  id: z.number().int(),
  account_id: z.number().int(),
  availability_status: chatwootAvailability,
  auto_offline: z.boolean(),
  confirmed: z.boolean(),
  email: z.string(),
  available_name: z.string(),
  name: z.string(),
  role: z.enum(['agent', 'administrator']),
  thumbnail: z.string(),
  custom_role_id: z.number().int().optional(),
});

export type ChatwootAgent = z.infer<typeof chatwootAgentSchema>;

export function toChatwootAgent(agent: Agent): ChatwootAgent {
  return {
    id: agent.userId,
    account_id: agent.accountId,
    availability_status: toChatwootAvailability(agent.availability),
    auto_offline: agent.autoOffline,
    confirmed: agent.isConfirmed,
    email: agent.email,
    available_name: agent.displayName ?? agent.name,
    name: agent.name,
    role: agent.role,
    thumbnail: agent.avatarUrl ?? '',
    // Parley has no custom roles; Chatwoot's null is left out, as the seed types an integer.
  };
}
