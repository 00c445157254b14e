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
