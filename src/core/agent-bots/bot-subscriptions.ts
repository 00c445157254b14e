import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { createSubscription, updateSubscription } from '../webhooks/subscriptions.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';
import { inboxes } from '../inboxes/inboxes.tables.js';
import { agentBots } from './agent-bots.tables.js';

/** Deliveries of a bound bot's inbox events to its outgoing URL; the Chatwoot face renders them. */
export const AGENT_BOT_FORMAT = 'chatwoot_agent_bot';

function botSubscriptionsWhere(botId: number) {
  return and(
    eq(webhookSubscriptions.format, AGENT_BOT_FORMAT),
    sql`${webhookSubscriptions.options}->>'agentBotId' = ${String(botId)}`,
  );
}

/**
 * Keeps one subscription per (account, bot) listing the account's inboxes bound to the bot, or
 * none when no inbox of the account uses it or it has no outgoing URL. Runs in the caller's
 * transaction.
 */
export async function syncAgentBotSubscription(tx: Db, accountId: number, botId: number): Promise<void> {
  const [bot] = await tx
    .select({ outgoingUrl: agentBots.outgoingUrl, secret: agentBots.secret })
    .from(agentBots)
    .where(eq(agentBots.id, botId));
  const bound = await tx
    .select({ id: inboxes.id })
    .from(inboxes)
    .where(and(eq(inboxes.accountId, accountId), eq(inboxes.agentBotId, botId)))
    .orderBy(asc(inboxes.id));
  const existing = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.accountId, accountId), botSubscriptionsWhere(botId)))
    .orderBy(asc(webhookSubscriptions.id));
  const url = bot?.outgoingUrl && bound.length > 0 ? bot.outgoingUrl : null;
  const [keep, ...extra] = url ? existing : [];
  const obsolete = url ? extra : existing;
  if (obsolete.length > 0) {
    await tx.delete(webhookSubscriptions).where(
      and(
        eq(webhookSubscriptions.accountId, accountId),
        inArray(
          webhookSubscriptions.id,
          obsolete.map((row) => row.id),
        ),
      ),
    );
  }
  if (!url || !bot) return;
  const fields = {
    url,
    secret: bot.secret,
    name: `Agent bot ${botId}`,
    options: { agentBotId: botId, inboxIds: bound.map((row) => row.id) },
  };
  if (keep) await updateSubscription(tx, accountId, keep.id, fields);
  else await createSubscription(tx, { ...fields, accountId, format: AGENT_BOT_FORMAT });
}

/** Every account where the bot is bound to an inbox or still has a subscription. */
export async function listAccountsUsingBot(tx: Db, botId: number): Promise<number[]> {
  const fromInboxes = await tx
    .selectDistinct({ accountId: inboxes.accountId })
    .from(inboxes)
    .where(eq(inboxes.agentBotId, botId));
  const fromSubscriptions = await tx
    .selectDistinct({ accountId: webhookSubscriptions.accountId })
    .from(webhookSubscriptions)
    .where(botSubscriptionsWhere(botId));
  const ids = new Set([...fromInboxes, ...fromSubscriptions].map((row) => row.accountId));
  return [...ids].sort((a, b) => a - b);
}

/** After a bot's URL changed or it was deleted: resync it in every account that uses it. */
export async function syncAgentBotSubscriptionsEverywhere(tx: Db, botId: number): Promise<void> {
  for (const accountId of await listAccountsUsingBot(tx, botId)) {
    await syncAgentBotSubscription(tx, accountId, botId);
  }
}
