import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { webhookSubscriptions, type WebhookSubscriptionRow } from './webhooks.tables.js';
import { openSubscription } from './secret-box.js';

/**
 * A subscription of one format by its public uuid, in the caller's account only: another
 * account's, or another format's, is "not found" so its existence does not leak.
 */
export async function getSubscriptionByUuid(
  db: Db,
  options: { accountId: number; uuid: string; format: string },
): Promise<WebhookSubscriptionRow> {
  const [row] = await db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, options.accountId),
        eq(webhookSubscriptions.uuid, options.uuid),
        eq(webhookSubscriptions.format, options.format),
      ),
    );
  if (!row) throw notFound('Webhook subscription');
  return openSubscription(db, row);
}
