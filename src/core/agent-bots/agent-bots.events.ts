import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { AgentBotRow } from './agent-bots.tables.js';

const agentBotPayload = z.object({
  id: z.number(),
  accountId: z.number().nullable(),
  name: z.string(),
  outgoingUrl: z.string().nullable(),
  isPlatformOwned: z.boolean(),
});

export function agentBotEventPayload(row: AgentBotRow): z.infer<typeof agentBotPayload> {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    outgoingUrl: row.outgoingUrl,
    isPlatformOwned: row.isPlatformOwned,
  };
}

/** An agent bot was created in the account (platform bots without an account record no event). */
export const agentBotCreated = defineEvent({
  type: 'agent_bot.created',
  aggregateType: 'agent_bot',
  version: 1,
  description: 'An agent bot was created.',
  payloadSchema: agentBotPayload,
});

/** An agent bot's name, URL or settings changed; recorded in every account that uses it. */
export const agentBotUpdated = defineEvent({
  type: 'agent_bot.updated',
  aggregateType: 'agent_bot',
  version: 1,
  description: "An agent bot's name, outgoing URL or configuration changed.",
  payloadSchema: agentBotPayload,
});

/** An agent bot was deleted and unbound from its inboxes. */
export const agentBotDeleted = defineEvent({
  type: 'agent_bot.deleted',
  aggregateType: 'agent_bot',
  version: 1,
  description: 'An agent bot was deleted.',
  payloadSchema: agentBotPayload,
});
