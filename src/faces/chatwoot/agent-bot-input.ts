import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AgentBotInput } from '../../core/agent-bots/agent-bots.js';

/** Seed `agent_bot_create_update_payload` / `platform_agent_bot_create_update_payload` (JSON; no avatar upload). */
export const agentBotBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(5000).nullable().optional(),
  outgoing_url: z.string().max(2000).nullable().optional(),
  avatar_url: z.string().max(2000).nullable().optional(),
  // Chatwoot's only bot type is webhook: 0 in requests, "webhook" in responses.
  bot_type: z.union([z.literal(0), z.literal('webhook')]).optional(),
  bot_config: jsonObject().optional(),
});

export const agentBotCreateBody = agentBotBody.extend({ name: z.string().trim().min(1).max(255) });

export function toAgentBotInput(body: z.infer<typeof agentBotBody>): AgentBotInput {
  return {
    name: body.name,
    description: body.description,
    outgoingUrl: body.outgoing_url,
    avatarUrl: body.avatar_url,
    botConfig: body.bot_config,
  };
}
