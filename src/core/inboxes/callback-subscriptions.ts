import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { createSubscription, updateSubscription } from '../webhooks/subscriptions.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';
import { callbackUrlOf, channelSettingsOf } from './channel-settings.js';
import type { InboxRow } from './inboxes.tables.js';

/** Deliveries to an API inbox's callback URL; the Chatwoot face renders them. */
export const API_INBOX_FORMAT = 'chatwoot_api_inbox';

/**
 * Keeps exactly one subscription for an API inbox's callback URL, or none when the URL is cleared
 * (or the inbox is gone: pass `null` for `inbox` with its id). Call it inside the transaction
 * that changed the inbox, so the inbox and its deliveries never disagree.
 */
export async function syncInboxCallbackSubscription(
  tx: Db,
  accountId: number,
  inboxId: number,
  inbox: InboxRow | null,
): Promise<void> {
  const existing = await tx
    .select({ id: webhookSubscriptions.id })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, accountId),
        eq(webhookSubscriptions.format, API_INBOX_FORMAT),
        sql`${webhookSubscriptions.options}->>'inboxId' = ${String(inboxId)}`,
      ),
    )
    .orderBy(webhookSubscriptions.id);
  const url = inbox ? callbackUrlOf(inbox) : null;
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
  if (!url || !inbox) return;
  const secret = channelSettingsOf(inbox).secret ?? '';
  const fields = { url, secret, options: { inboxId }, name: `Inbox ${inboxId} callback` };
  if (keep) await updateSubscription(tx, accountId, keep.id, fields);
  else await createSubscription(tx, { ...fields, accountId, format: API_INBOX_FORMAT });
}
