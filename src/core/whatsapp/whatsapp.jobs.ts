import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { defineJob, enqueue } from '../../platform/jobs/index.js';
import { whatsappInboundEventSchema, type WhatsappInboundEvent } from './whatsapp-inbound.schema.js';

function wiredAtStartup(): Promise<void> {
  return Promise.reject(
    new Error('whatsapp jobs run through createWhatsappRuntime(deps), registered by the app'),
  );
}

/**
 * One provider event, processed durably: a provider adapter's webhook enqueues it and answers at
 * once, and a failure (the provider down while Parley fetches a group it does not know) is retried
 * with backoff. Processing is idempotent, so a retry after a partial run is harmless.
 */
export const whatsappInboundEventJob = defineJob({
  name: 'whatsapp.inbound_event',
  payloadSchema: whatsappInboundEventSchema,
  maxAttempts: 10,
  handler: wiredAtStartup,
});

/** Hands a provider event to the durable queue (what a provider adapter's webhook route calls). */
export function enqueueWhatsappEvent(db: Db, event: WhatsappInboundEvent): Promise<number> {
  return enqueue(db, whatsappInboundEventJob, event, { accountId: event.accountId });
}

export const sendWhatsappMessagePayloadSchema = z.object({
  accountId: z.number().int(),
  conversationId: z.number().int(),
  messageId: z.number().int(),
});
export type SendWhatsappMessagePayload = z.infer<typeof sendWhatsappMessagePayloadSchema>;

/**
 * One agent reply handed to the inbox's WhatsApp provider. The provider is called outside any
 * transaction; an unreachable provider is retried with backoff, a refusal fails the message at once.
 */
export const sendWhatsappMessageJob = defineJob({
  name: 'whatsapp.send_message',
  payloadSchema: sendWhatsappMessagePayloadSchema,
  maxAttempts: 10,
  handler: wiredAtStartup,
});
