import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { EventRow } from '../../platform/events/events.tables.js';
import type { EventConsumer } from '../../platform/events/relay.js';
import { enqueueMany } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import {
  conversationCreated,
  conversationStatusChanged,
  conversationUpdated,
  messageCreated,
} from '../conversations/conversations.events.js';
import { automationRules } from './automation.tables.js';
import { ruleIdOfActor } from './automation-actor.js';
import { conditionsHold, type RuleFacts } from './rule-conditions.js';
import type { RuleEvent } from './rule-vocabulary.js';
import { runRuleTarget } from './run-rule.job.js';

interface Trigger {
  event: EventRow;
  names: RuleEvent[];
  facts: RuleFacts;
}

// Chatwoot dispatches conversation_updated only for these; last-seen marks and counters do not count.
const updatingChanges = new Set([
  'assignee_id',
  'team_id',
  'status',
  'snoozed_until',
  'custom_attributes',
  'labels',
  'priority',
  'waiting_since',
  'first_reply_created_at',
]);

function triggerOf(event: EventRow): Trigger | null {
  // Loop protection: what a rule did never triggers rules (Chatwoot's performed_by automation).
  if (ruleIdOfActor(event.actor) !== null) return null;
  const base = { event };
  switch (event.type) {
    case conversationCreated.type: {
      const { conversation } = conversationCreated.payloadSchema.parse(event.payload);
      return { ...base, names: ['conversation_created'], facts: { conversation, message: null } };
    }
    case conversationUpdated.type: {
      const { conversation, changes } = conversationUpdated.payloadSchema.parse(event.payload);
      if (!Object.keys(changes).some((key) => updatingChanges.has(key))) return null;
      return { ...base, names: ['conversation_updated'], facts: { conversation, message: null } };
    }
    case conversationStatusChanged.type: {
      const { conversation } = conversationStatusChanged.payloadSchema.parse(event.payload);
      const names: RuleEvent[] = ['conversation_updated'];
      if (conversation.status === 'open') names.push('conversation_opened');
      if (conversation.status === 'resolved') names.push('conversation_resolved');
      return { ...base, names, facts: { conversation, message: null } };
    }
    case messageCreated.type: {
      const { conversation, message } = messageCreated.payloadSchema.parse(event.payload);
      if (message.messageType === 'activity') return null;
      return { ...base, names: ['message_created'], facts: { conversation, message } };
    }
    default:
      return null;
  }
}

function safeTriggerOf(event: EventRow, logger: Logger): Trigger[] {
  try {
    const trigger = triggerOf(event);
    return trigger ? [trigger] : [];
  } catch (error) {
    logger.warn({ err: error, eventId: event.id }, 'automation rules could not read an event; skipped');
    return [];
  }
}

async function enqueueMatchingRules(tx: Db, batch: EventRow[], logger: Logger): Promise<void> {
  const triggers = batch.flatMap((event) => safeTriggerOf(event, logger));
  if (triggers.length === 0) return;
  const rules = await tx
    .select()
    .from(automationRules)
    .where(
      and(
        inArray(automationRules.accountId, [...new Set(triggers.map((trigger) => trigger.event.accountId))]),
        inArray(automationRules.eventName, [...new Set(triggers.flatMap((trigger) => trigger.names))]),
        eq(automationRules.active, true),
      ),
    );
  if (rules.length === 0) return;
  const now = Date.now();
  const jobs = triggers.flatMap(({ event, names, facts }) =>
    rules
      .filter((rule) => rule.accountId === event.accountId && (names as string[]).includes(rule.eventName))
      .filter((rule) => conditionsHold(rule.conditions, facts, now))
      .map((rule) => ({
        accountId: event.accountId,
        payload: {
          accountId: event.accountId,
          ruleId: rule.id,
          conversationId: facts.conversation.id,
          eventId: event.id,
        },
      })),
  );
  await enqueueMany(tx, runRuleTarget, jobs);
}

/**
 * Finds the active rules an event triggers and whose conditions hold on the event's snapshots,
 * and enqueues one durable job per matching rule, in the relay's transaction. A failure here is
 * logged and the batch goes on, so one bad row never stalls the outbox.
 */
export function createRuleTriggerConsumer(logger: Logger): EventConsumer {
  return {
    name: 'automation-rules',
    async handle(tx, batch) {
      try {
        await tx.transaction((savepoint) => enqueueMatchingRules(savepoint, batch, logger));
      } catch (error) {
        logger.error({ err: error }, 'automation rules failed for a batch of events; skipped');
      }
    },
  };
}
