import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { isDomainError } from '../../platform/errors.js';
import { defineJob, type JobTarget } from '../../platform/jobs/index.js';
import type { Logger } from '../../platform/logger.js';
import { conversations } from '../conversations/conversations.tables.js';
import { automationRules, type AutomationRuleRow } from './automation.tables.js';
import { performAction } from './rule-actions.js';

export const runRulePayloadSchema = z.object({
  accountId: z.number().int(),
  ruleId: z.number().int(),
  /** The conversation's internal id. */
  conversationId: z.number().int(),
  /** The event that triggered the rule, for tracing. */
  eventId: z.number().int(),
});
export type RunRulePayload = z.infer<typeof runRulePayloadSchema>;

export const runRuleTarget = {
  name: 'automation.run_rule',
  queue: 'default',
  maxAttempts: 5,
  payloadSchema: runRulePayloadSchema,
} satisfies JobTarget<RunRulePayload>;

/**
 * Runs each action in its own savepoint: as in Chatwoot, an action that cannot apply (an agent
 * who left the inbox) is skipped and the others still run. Anything else rolls the whole run back
 * and the job retries it.
 */
async function runActions(tx: Db, rule: AutomationRuleRow, conversationId: number, logger: Logger) {
  for (const action of rule.actions) {
    try {
      await tx.transaction((savepoint) => performAction(savepoint, { rule, conversationId, action }));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      logger.warn(
        { err: error, ruleId: rule.id, action: action.name, conversationId },
        'automation action skipped',
      );
    }
  }
}

/**
 * One matching rule on one event. The rule is read again (it may have been switched off or
 * deleted since), and its actions commit with the job's completion, so a retry never repeats them.
 */
export function createRunRuleJob(deps: { logger: Logger }) {
  return defineJob({
    ...runRuleTarget,
    handler: async (payload, ctx) => {
      await ctx.complete(async (tx) => {
        const [rule] = await tx
          .select()
          .from(automationRules)
          .where(
            and(eq(automationRules.accountId, payload.accountId), eq(automationRules.id, payload.ruleId)),
          );
        if (!rule?.active) return;
        const [conversation] = await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(
            and(eq(conversations.accountId, payload.accountId), eq(conversations.id, payload.conversationId)),
          );
        if (!conversation) return;
        await runActions(tx, rule, conversation.id, deps.logger);
      });
    },
  });
}
