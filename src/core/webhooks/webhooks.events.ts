import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/** A webhook subscription was switched off by the engine after sustained failure or a 410. */
export const webhookDisabled = defineEvent({
  type: 'webhook.disabled',
  aggregateType: 'webhook',
  version: 1,
  description: 'A webhook subscription was disabled automatically, with the reason.',
  payloadSchema: z.object({ id: z.number(), url: z.string(), reason: z.string() }),
});

const subscriptionPayload = z.object({
  id: z.number(),
  format: z.string(),
  url: z.string(),
  name: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
});

/** What a subscription event carries: never its secret or sealed options. */
export function subscriptionEventPayload(
  row: z.infer<typeof subscriptionPayload> & Record<string, unknown>,
): z.infer<typeof subscriptionPayload> {
  return {
    id: row.id,
    format: row.format,
    url: row.url,
    name: row.name,
    events: row.events,
    enabled: row.enabled,
  };
}

const subscriptionChange = (verb: string) => ({
  aggregateType: 'webhook',
  version: 1,
  description: `A webhook subscription was ${verb} through an API (engine-owned ones are not announced).`,
  payloadSchema: subscriptionPayload,
});

export const webhookCreated = defineEvent({ type: 'webhook.created', ...subscriptionChange('created') });
export const webhookUpdated = defineEvent({ type: 'webhook.updated', ...subscriptionChange('updated') });
export const webhookDeleted = defineEvent({ type: 'webhook.deleted', ...subscriptionChange('deleted') });
