import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { conversationSnapshotSchema } from './conversations.events.js';

export const ratingSnapshotSchema = z.object({
  id: z.number(),
  uuid: z.string(),
  score: z.number().nullable(),
  comment: z.string().nullable(),
  /** The agent the rating is about (users.id): the assignee when it was given. */
  agentId: z.number().nullable(),
  /** `csat` (1–5) or `thumbs_up_or_down` (0 or 1). */
  ratingType: z.string(),
});
export type RatingSnapshot = z.infer<typeof ratingSnapshotSchema>;

export const conversationRated = defineEvent({
  type: 'conversation.rated',
  aggregateType: 'conversation',
  version: 1,
  description: 'The contact rated a conversation (or changed their rating).',
  payloadSchema: z.object({ conversation: conversationSnapshotSchema, rating: ratingSnapshotSchema }),
});
