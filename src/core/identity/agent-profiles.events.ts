import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/** An agent's name, phone numbers, emails or avatar changed (not their role or availability). */
export const agentProfileUpdated = defineEvent({
  type: 'agent.profile_updated',
  aggregateType: 'member',
  version: 1,
  description: "An agent's profile (names, phone numbers, additional emails, avatar) changed.",
  payloadSchema: z.object({
    accountId: z.number(),
    userId: z.number(),
    uuid: z.string(),
    /** The profile fields that changed, camelCase. */
    fields: z.array(z.string()),
  }),
});
