import { z } from 'zod';

/**
 * What a WhatsApp provider reports, shaped like Baileys' socket events (`group-participants.update`,
 * `groups.update`, `messages.upsert`), addressed to one provider instance (account + inbox).
 * A real adapter's webhook and the stand-in both hand these to `receiveWhatsappEvent`.
 */
const instance = {
  accountId: z.number().int().positive(),
  inboxId: z.number().int().positive(),
};

const jid = z.string().min(3).max(200);

export const groupParticipantsUpdateSchema = z.object({
  ...instance,
  event: z.literal('group-participants.update'),
  data: z.object({
    id: jid,
    participants: z.array(jid).min(1).max(1024),
    action: z.enum(['add', 'remove', 'promote', 'demote']),
    /** Who did it (an admin's JID); absent when a participant joined by link or left. */
    author: jid.optional(),
    /** Display names by participant JID, as the provider saw them. */
    pushNames: z.record(z.string(), z.string()).optional(),
  }),
});

export const groupsUpdateSchema = z.object({
  ...instance,
  event: z.literal('groups.update'),
  data: z.object({
    id: jid,
    subject: z.string().max(200).optional(),
    desc: z.string().max(4096).optional(),
    pictureUrl: z.string().max(2000).optional(),
    announce: z.boolean().optional(),
    restrict: z.boolean().optional(),
    joinApprovalMode: z.boolean().optional(),
    memberAddMode: z.boolean().optional(),
  }),
});

export const messagesUpsertSchema = z.object({
  ...instance,
  event: z.literal('messages.upsert'),
  data: z.object({
    key: z.object({
      remoteJid: jid,
      id: z.string().min(1).max(200),
      /** In a group: the member who wrote it. */
      participant: jid.optional(),
      fromMe: z.boolean().default(false),
    }),
    pushName: z.string().max(200).optional(),
    message: z.object({
      conversation: z.string().max(65_536).optional(),
      extendedTextMessage: z.object({ text: z.string().max(65_536) }).optional(),
    }),
    /** Unix seconds; accepted, but Parley stamps messages with its own receipt time (ordering stays monotonic). */
    messageTimestamp: z.number().int().positive().optional(),
  }),
});

export const whatsappInboundEventSchema = z.discriminatedUnion('event', [
  groupParticipantsUpdateSchema,
  groupsUpdateSchema,
  messagesUpsertSchema,
]);

export type WhatsappInboundEvent = z.input<typeof whatsappInboundEventSchema>;
export type ParsedWhatsappEvent = z.output<typeof whatsappInboundEventSchema>;
