import { z } from 'zod';
import type { TeamRow } from '../../../core/teams/teams.tables.js';

/** Seed schema `team`. */
export const chatwootTeamSchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  allow_auto_assign: z.boolean(),
  account_id: z.number(),
  is_member: z.boolean(),
});

export type ChatwootTeam = z.infer<typeof chatwootTeamSchema>;

/** `isMember`: whether the caller (a user) belongs to the team; API keys and bots belong to none. */
export function toChatwootTeam(row: TeamRow, isMember = false): ChatwootTeam {
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? '',
    allow_auto_assign: row.allowAutoAssign,
    account_id: row.accountId,
    is_member: isMember,
  };
}
