import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

const hookPayload = z.object({
  id: z.number(),
  appId: z.string(),
  inboxId: z.number().nullable(),
  isEnabled: z.boolean(),
  /** The webhook's target and events; secrets never go into events. */
  url: z.string().nullable(),
  events: z.array(z.string()),
});
export type IntegrationHookPayload = z.infer<typeof hookPayload>;

/** An integration app was connected to the account (an integration hook was created). */
export const integrationHookCreated = defineEvent({
  type: 'integration_hook.created',
  aggregateType: 'integration_hook',
  version: 1,
  description: 'An integration hook was created.',
  payloadSchema: hookPayload,
});

/** An integration hook was switched on or off, or its settings changed. */
export const integrationHookUpdated = defineEvent({
  type: 'integration_hook.updated',
  aggregateType: 'integration_hook',
  version: 1,
  description: "An integration hook's status or settings changed.",
  payloadSchema: hookPayload,
});

/** An integration hook was deleted. */
export const integrationHookDeleted = defineEvent({
  type: 'integration_hook.deleted',
  aggregateType: 'integration_hook',
  version: 1,
  description: 'An integration hook was deleted.',
  payloadSchema: hookPayload,
});
