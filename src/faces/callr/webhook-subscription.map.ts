import { z } from 'zod';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { callrDateTimeMs } from './formats.js';
import { encodeHash } from './hash-ids.js';
import { callrHmacAlgos } from './webhook-signing.js';

/**
 * What a CALLR subscription keeps in `webhook_subscriptions.options`: its `Webhook.Options` as
 * given (format, hmac_algo, hmac_secret; the secret also in `secret`, the algorithm in
 * `signature_algorithm`, which the engine's rows already have) and its one CALLR type.
 */
export const storedOptionsSchema = z.object({
  format: z.literal('JSON').catch('JSON'),
  hmac_algo: z.enum(callrHmacAlgos).catch('SHA256'),
  hmac_secret: z.string().catch(''),
  type: z.string().catch(''),
  /**
   * A dynamic webhook (`SMS.Options.webhook`): a hidden row the engine delivers through, made
   * for one endpoint and secret; it has no hash, no place in get_list, and gets no fan-out.
   */
  dynamic: z.boolean().catch(false),
});
export type StoredCallrOptions = z.infer<typeof storedOptionsSchema>;

export function storedOptionsOf(row: WebhookSubscriptionRow): StoredCallrOptions {
  return storedOptionsSchema.parse(row.options);
}

export type CallrWebhookStatus = 'ENABLED' | 'DISABLED' | 'DISABLED_ADMIN' | 'DISABLED_SYSTEM';

/**
 * ENABLED, DISABLED when its owner switched it off (`webhooks.disable`), DISABLED_SYSTEM when the
 * engine did (410 Gone, or failing for days). DISABLED_ADMIN (an operator's doing) has no cause in Parley.
 */
export function statusOf(row: WebhookSubscriptionRow): CallrWebhookStatus {
  if (row.enabled) return 'ENABLED';
  return row.disabledReason === null ? 'DISABLED' : 'DISABLED_SYSTEM';
}

export interface CallrWebhook {
  created_at: string;
  endpoint: string;
  hash: string;
  options: { format: string; hmac_algo: string; hmac_secret: string };
  status: CallrWebhookStatus;
  type: string;
  updated_at: string;
}

/** The seed's `Webhook` object; `hmac_secret` is "" when none was given (then nothing is signed). */
export function toCallrWebhook(row: WebhookSubscriptionRow): CallrWebhook {
  const options = storedOptionsOf(row);
  return {
    created_at: callrDateTimeMs(row.createdAt),
    endpoint: row.url,
    hash: encodeHash('webhook', row.id),
    options: { format: options.format, hmac_algo: options.hmac_algo, hmac_secret: options.hmac_secret },
    status: statusOf(row),
    type: options.type || (row.events[0] ?? ''),
    updated_at: callrDateTimeMs(row.updatedAt),
  };
}
