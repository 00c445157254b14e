import { z } from 'zod';
import { uuidSchema } from './schemas.js';

/**
 * Request bodies of the conversation operations, from the seed's schemas. Unions are told apart
 * by `_type`, as in the seed's examples (`"_type": "Email"`, `"Inbound"`, `"Text"`).
 */

/** Seed `Content`: Text | Html. A body without `_type` is text. */
export const contentSchema = z.object({
  _type: z.enum(['Text', 'Html']).default('Text'),
  value: z.string().trim().min(1, 'must not be blank').max(150_000),
});

/** Seed `File`: a link to the file, with the name to show. */
const fileSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2048),
  prettyName: z.string().max(255).optional(),
});

const messageShape = {
  content: contentSchema,
  externalId: z.string().min(1).max(255).optional(),
  attachments: z.array(fileSchema).max(20).optional(),
  integrationEmail: z.string().max(320).optional(),
};

/** Seed `CreateMessageInput`: Inbound (from the requester) | Outbound (from `agentId`). */
export const createMessageInputSchema = z.discriminatedUnion('_type', [
  z.object({ _type: z.literal('Inbound'), ...messageShape }),
  z.object({
    _type: z.literal('Outbound'),
    ...messageShape,
    agentId: uuidSchema,
    cc: z.array(uuidSchema).max(50).optional(),
    bcc: z.array(uuidSchema).max(50).optional(),
  }),
]);
export type CreateMessageInput = z.infer<typeof createMessageInputSchema>;

const language = z.string().min(2).max(35).optional();
const subject = z.string().trim().min(1).max(998);

const browserInfoSchema = z.object({
  name: z.string().max(255),
  version: z.string().max(255).optional(),
  ipAddress: z.string().max(64).optional(),
  originatingUrl: z.string().max(2048).optional(),
});

/** Seed `CreateConversationInput`: Email | ContactForm | Chat | Sms | Callback. */
export const createConversationInputSchema = z.discriminatedUnion('_type', [
  z.object({
    _type: z.literal('Email'),
    requesterId: uuidSchema,
    emailIntegrationId: z.string().min(1).max(320),
    subject,
    language,
    message: createMessageInputSchema,
  }),
  z.object({
    _type: z.literal('ContactForm'),
    requesterId: uuidSchema,
    emailIntegrationId: z.string().min(1).max(320),
    subject,
    language,
    message: createMessageInputSchema,
  }),
  z.object({
    _type: z.literal('Chat'),
    requesterId: uuidSchema,
    widgetId: uuidSchema,
    language,
    browserInfo: browserInfoSchema.optional(),
    message: createMessageInputSchema,
  }),
  z.object({
    _type: z.literal('Sms'),
    requesterId: uuidSchema,
    contactEndpointId: z.string().min(1).max(64),
    message: createMessageInputSchema,
  }),
  z.object({
    _type: z.literal('Callback'),
    requesterId: uuidSchema,
    direction: z.enum(['Inbound', 'Outbound']),
    contactEndpointId: z.string().min(1).max(64),
    queueId: uuidSchema,
  }),
]);
export type CreateConversationInput = z.infer<typeof createConversationInputSchema>;

/**
 * Dixa writes times as Java's ZonedDateTime does, with the zone name after the offset
 * (`2021-12-01T12:46:36.581Z[GMT]`); plain ISO 8601 is accepted too.
 */
export const zonedDateTimeSchema = z
  .string()
  .max(64)
  .transform((value, context) => {
    const iso = value.replace(/\[[^\]]*\]$/, '');
    const time = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
    if (Number.isNaN(time)) {
      context.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time' });
      return z.NEVER;
    }
    return new Date(time);
  });

/** Seed `CreateInternalNoteInput`. */
export const createInternalNoteInputSchema = z.object({
  agentId: uuidSchema.optional(),
  message: z.string().trim().min(1, 'must not be blank').max(150_000),
  createdAt: zonedDateTimeSchema.optional(),
});
export type CreateInternalNoteInput = z.infer<typeof createInternalNoteInputSchema>;

/** Seed `BulkCreateInternalNoteInput`; items are checked one by one, so one bad note fails alone. */
export const bulkCreateInternalNoteInputSchema = z.object({
  data: z.array(z.unknown()).min(1).max(100),
});

/** Seed `CloseConversationInput`: the agent/admin who closes it, optional. */
export const closeConversationInputSchema = z.object({ userId: uuidSchema.optional() }).nullish();

/** Dixa conversation ids are integers (the per-account number Parley shows everywhere). */
export const conversationParams = z.object({
  conversationId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
