import { z } from 'zod';
import { dixaCustomAttributeSchema } from './custom-attribute.map.js';

/** Seed `ConversationLink`: SideConversation | FollowUp | EmailForward, each `{parentId}`. */
const linkSchema = z.object({
  _type: z.enum(['SideConversation', 'FollowUp', 'EmailForward']),
  parentId: z.number().int(),
});

/** Fields every member of the seed's `Conversation` union has. */
const baseShape = {
  id: z.number().int(),
  requesterId: z.string(),
  channel: z.string(),
  createdAt: z.string(),
  link: linkSchema.optional(),
  state: z.enum(['AwaitingPending', 'Closed', 'Open', 'Pending']).optional(),
  direction: z.enum(['Inbound', 'Internal', 'Outbound']).optional(),
  stateUpdatedAt: z.string().optional(),
  customAttributes: z.array(dixaCustomAttributeSchema).optional(),
};
const liveShape = {
  ...baseShape,
  queue: z.object({ id: z.string(), queuedAt: z.string().optional() }).optional(),
  assignment: z.object({ agentId: z.string(), assignedAt: z.string() }).optional(),
};
const emailShape = {
  subject: z.string().optional(),
  toEmail: z.string(),
  fromEmail: z.string(),
  integrationEmail: z.string(),
  language: z.string().optional(),
};

export const browserInfoSchema = z.object({
  name: z.string(),
  version: z.string().optional(),
  ipAddress: z.string().optional(),
  originatingUrl: z.string().optional(),
});

/** Seed `Conversation`: one object per channel, told apart by `_type` as Dixa's JSON does. */
export const dixaConversationSchema = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('AnonymizedConversation'), ...baseShape, anonymizedAt: z.string() }),
  z.object({
    _type: z.literal('ChatConversation'),
    ...liveShape,
    language: z.string().optional(),
    browserInfo: browserInfoSchema.optional(),
  }),
  z.object({ _type: z.literal('EmailConversation'), ...liveShape, ...emailShape }),
  z.object({
    _type: z.literal('ContactFormConversation'),
    ...liveShape,
    ...emailShape,
    toEmail: z.string().optional(),
    integrationEmail: z.string().optional(),
  }),
  z.object({
    _type: z.literal('SmsConversation'),
    ...liveShape,
    toNumber: z.string().optional(),
    fromNumber: z.string().optional(),
  }),
  z.object({ _type: z.literal('PstnPhoneConversation'), ...liveShape }),
  z.object({ _type: z.literal('WhatsAppConversation'), ...liveShape }),
  z.object({ _type: z.literal('MessengerConversation'), ...liveShape, language: z.string().optional() }),
  z.object({ _type: z.literal('FacebookMessengerConversation'), ...liveShape }),
  z.object({
    _type: z.literal('TwitterConversation'),
    ...liveShape,
    conversationType: z.enum(['DirectMessage', 'Tweet']),
    endUserTwitterId: z.string().optional(),
    contactPointTwitterId: z.string().optional(),
  }),
  z.object({
    _type: z.literal('GenericConversation'),
    ...liveShape,
    toContactPointId: z.string().optional(),
    fromContactPointId: z.string().optional(),
  }),
]);
export type DixaConversation = z.infer<typeof dixaConversationSchema>;
