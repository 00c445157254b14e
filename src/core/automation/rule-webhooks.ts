import { randomBytes } from 'node:crypto';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { createSubscription } from '../webhooks/subscriptions.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';
import type { AutomationRuleRow } from './automation.tables.js';

/**
 * The webhook format of `send_webhook_event` deliveries. The engine delivers only to
 * subscriptions, so each (rule, URL) gets one hidden subscription of this format; the format
 * (registered by the Chatwoot face, which owns the payload) renders only that rule's events.
 */
export const AUTOMATION_WEBHOOK_FORMAT = 'chatwoot_automation';

const ruleIdOption = sql`${webhookSubscriptions.options} ->> 'ruleId'`;

/** Finds or makes the rule's subscription for `url`, in the caller's transaction. */
export async function ensureRuleWebhook(tx: Db, rule: AutomationRuleRow, url: string): Promise<void> {
  // Two runs of the rule at once must not make two subscriptions (and deliver twice).
  await tx.execute(
    sql`SELECT pg_advisory_xact_lock(hashtext(${AUTOMATION_WEBHOOK_FORMAT}::text), hashtext(${`${rule.accountId}:${rule.id}:${url}`}::text))`,
  );
  const [existing] = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, rule.accountId),
        eq(webhookSubscriptions.format, AUTOMATION_WEBHOOK_FORMAT),
        eq(webhookSubscriptions.url, url),
        sql`${ruleIdOption} = ${String(rule.id)}`,
      ),
    );
  if (existing) return;
  await createSubscription(tx, {
    accountId: rule.accountId,
    format: AUTOMATION_WEBHOOK_FORMAT,
    url,
    name: `Automation rule ${rule.id}: ${rule.name}`.slice(0, 255),
    secret: randomBytes(24).toString('hex'),
    options: { ruleId: rule.id },
  });
}

/** Drops the rule's subscriptions whose URL its actions no longer name (all of them for a deleted rule). */
export async function removeStaleRuleWebhooks(tx: Db, rule: AutomationRuleRow): Promise<void> {
  const urls = rule.actions.flatMap((action) =>
    action.name === 'send_webhook_event' && action.params[0] ? [action.params[0]] : [],
  );
  await tx
    .delete(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, rule.accountId),
        eq(webhookSubscriptions.format, AUTOMATION_WEBHOOK_FORMAT),
        sql`${ruleIdOption} = ${String(rule.id)}`,
        urls.length > 0 ? notInArray(webhookSubscriptions.url, urls) : undefined,
      ),
    );
}
