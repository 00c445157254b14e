import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';
import { conversationSnapshotSchema } from '../conversations/conversations.events.js';
import type { AutomationRuleRow } from './automation.tables.js';

const rulePayload = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  eventName: z.string(),
  conditions: z.array(z.record(z.string(), z.unknown())),
  actions: z.array(z.record(z.string(), z.unknown())),
  active: z.boolean(),
});
export type AutomationRuleEventPayload = z.infer<typeof rulePayload>;

export function ruleEventPayload(row: AutomationRuleRow): AutomationRuleEventPayload {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    eventName: row.eventName,
    conditions: row.conditions.map((condition) => ({ ...condition })),
    actions: row.actions.map((action) => ({ ...action })),
    active: row.active,
  };
}

/** An automation rule was created. */
export const automationRuleCreated = defineEvent({
  type: 'automation_rule.created',
  aggregateType: 'automation_rule',
  version: 1,
  description: 'An automation rule was created.',
  payloadSchema: z.object({ rule: rulePayload }),
});

/** An automation rule changed (name, event, conditions, actions, active). */
export const automationRuleUpdated = defineEvent({
  type: 'automation_rule.updated',
  aggregateType: 'automation_rule',
  version: 1,
  description: 'An automation rule changed; `changes` holds each changed field before and after.',
  payloadSchema: z.object({
    rule: rulePayload,
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  }),
});

/** An automation rule was deleted. */
export const automationRuleDeleted = defineEvent({
  type: 'automation_rule.deleted',
  aggregateType: 'automation_rule',
  version: 1,
  description: 'An automation rule was deleted.',
  payloadSchema: z.object({ rule: rulePayload }),
});

/**
 * A rule's `send_webhook_event` action fired: the webhook engine delivers it to `url` through the
 * rule's own subscription (see rule-webhooks.ts), signed, retried and logged like any webhook.
 */
export const automationWebhookTriggered = defineEvent({
  type: 'automation_rule.webhook_triggered',
  aggregateType: 'conversation',
  version: 1,
  description: "An automation rule's send_webhook_event action fired for a conversation.",
  payloadSchema: z.object({
    ruleId: z.number(),
    url: z.string(),
    /** The rule's event name; Chatwoot sends it as `automation_event.<name>`. */
    ruleEventName: z.string(),
    conversation: conversationSnapshotSchema,
  }),
});
