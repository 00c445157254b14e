import { z } from 'zod';

// Payloads are read leniently: only the fields used here, so a richer payload never breaks the log,
// and one that does not parse yields no activity rather than stopping the relay.
const conversationRef = z.object({
  id: z.number(),
  status: z.string().optional(),
  assigneeId: z.number().nullable().optional(),
  contact: z.object({ id: z.number() }).optional(),
});
const queueRef = z.object({ uuid: z.string(), name: z.string() });
export const actorSchema = z.object({ type: z.string(), id: z.union([z.number(), z.string()]).optional() });
const changeSchema = z.object({ from: z.unknown(), to: z.unknown() });

/** The payloads of the events the activity log reads, matched by type string so it needs no code of the emitting modules. */
export const payloads = {
  conversation: z.object({ conversation: conversationRef }),
  updated: z.object({ conversation: conversationRef, changes: z.record(z.string(), changeSchema) }),
  statusChanged: z.object({ conversation: conversationRef, previousStatus: z.string() }),
  message: z.object({
    conversation: conversationRef,
    message: z.object({
      id: z.number(),
      messageType: z.string(),
      private: z.boolean(),
      senderType: z.string().nullable(),
      senderId: z.number().nullable(),
    }),
  }),
  offered: z.object({ conversation: conversationRef, queue: queueRef, agentIds: z.array(z.number()) }),
  offerAnswered: z.object({ conversation: conversationRef, queue: queueRef, agentId: z.number() }),
  offerExpired: z.object({ conversation: conversationRef, queue: queueRef, agentIds: z.array(z.number()) }),
  claimed: z.object({
    conversation: conversationRef,
    queue: queueRef.nullable(),
    agentId: z.number(),
    fromAgentId: z.number().nullable(),
  }),
  transferred: z.object({
    conversation: conversationRef,
    queue: queueRef,
    byUserId: z.number().nullable(),
  }),
  rated: z.object({
    conversation: conversationRef,
    rating: z.object({
      score: z.number().nullable(),
      comment: z.string().nullable(),
      agentId: z.number().nullable(),
    }),
  }),
};
