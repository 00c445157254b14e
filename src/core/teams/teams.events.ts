import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { TeamRow } from './teams.tables.js';

const teamPayload = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  allowAutoAssign: z.boolean(),
});

export function teamEventPayload(row: TeamRow): z.infer<typeof teamPayload> {
  return { id: row.id, name: row.name, description: row.description, allowAutoAssign: row.allowAutoAssign };
}

/** A team was created. */
export const teamCreated = defineEvent({
  type: 'team.created',
  aggregateType: 'team',
  version: 1,
  description: 'A team was created.',
  payloadSchema: teamPayload,
});

/** A team's name, description or auto-assignment changed. */
export const teamUpdated = defineEvent({
  type: 'team.updated',
  aggregateType: 'team',
  version: 1,
  description: "A team's name, description or auto-assignment setting changed.",
  payloadSchema: teamPayload,
});

/** A team was deleted; its conversations keep their assignee but lose the team. */
export const teamDeleted = defineEvent({
  type: 'team.deleted',
  aggregateType: 'team',
  version: 1,
  description: 'A team was deleted.',
  payloadSchema: teamPayload,
});

/** Agents joined or left a team. */
export const teamMembersChanged = defineEvent({
  type: 'team.members_changed',
  aggregateType: 'team',
  version: 1,
  description: 'Agents were added to or removed from a team.',
  payloadSchema: z.object({
    teamId: z.number(),
    addedUserIds: z.array(z.number()),
    removedUserIds: z.array(z.number()),
    userIds: z.array(z.number()),
  }),
});
