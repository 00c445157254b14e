import { z } from 'zod';
import type { AgentBotRow } from '../../../core/agent-bots/agent-bots.tables.js';

/** Seed schema `agent_bot`; `access_token` only when the token was just issued (it is stored hashed). */
export const chatwootAgentBotSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  thumbnail: z.string(),
  outgoing_url: z.string(),
  bot_type: z.string(),
  bot_config: z.record(z.string(), z.unknown()),
  account_id: z.number().optional(),
  access_token: z.string().optional(),
  system_bot: z.boolean(),
});

export type ChatwootAgentBot = z.infer<typeof chatwootAgentBotSchema>;

export function toChatwootAgentBot(row: AgentBotRow, accessToken?: string): ChatwootAgentBot {
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? '',
    thumbnail: row.avatarUrl ?? '',
    outgoing_url: row.outgoingUrl ?? '',
    bot_type: row.botType,
    bot_config: row.botConfig,
    // A system bot has no account; the seed's account_id is a number, so it is left out.
    account_id: row.accountId ?? undefined,
    ...(accessToken !== undefined && { access_token: accessToken }),
    // A bot without an account is shared by the platform with every account (Chatwoot's system bot).
    system_bot: row.accountId === null,
  };
}
