import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import type { InboxRow } from './inboxes.tables.js';

const inboxPayload = z.object({
  id: z.number(),
  name: z.string(),
  channelType: z.string(),
  identifier: z.string(),
  agentBotId: z.number().nullable(),
  enableAutoAssignment: z.boolean(),
});

/** Secrets in channel settings never go into events: payloads are delivered to webhooks. */
export function inboxEventPayload(row: InboxRow): z.infer<typeof inboxPayload> {
  return {
    id: row.id,
    name: row.name,
    channelType: row.channelType,
    identifier: row.identifier,
    agentBotId: row.agentBotId,
    enableAutoAssignment: row.enableAutoAssignment,
  };
}

/** An inbox was created. */
export const inboxCreated = defineEvent({
  type: 'inbox.created',
  aggregateType: 'inbox',
  version: 1,
  description: 'An inbox was created.',
  payloadSchema: inboxPayload,
});

/** An inbox's settings, channel settings or agent bot changed. */
export const inboxUpdated = defineEvent({
  type: 'inbox.updated',
  aggregateType: 'inbox',
  version: 1,
  description: "An inbox's settings, channel settings or agent bot changed.",
  payloadSchema: inboxPayload,
});

/** An inbox was deleted, with its conversations. */
export const inboxDeleted = defineEvent({
  type: 'inbox.deleted',
  aggregateType: 'inbox',
  version: 1,
  description: 'An inbox was deleted.',
  payloadSchema: inboxPayload,
});

/** The set of agents answering an inbox changed. */
export const inboxMembersChanged = defineEvent({
  type: 'inbox.members_changed',
  aggregateType: 'inbox',
  version: 1,
  description: 'Agents were added to or removed from an inbox.',
  payloadSchema: z.object({
    inboxId: z.number(),
    addedUserIds: z.array(z.number()),
    removedUserIds: z.array(z.number()),
    userIds: z.array(z.number()),
  }),
});
