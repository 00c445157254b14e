import { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import type { AccountAccess } from '../../core/identity/principal.js';
import { users } from '../../core/identity/identity.tables.js';
import { getApiKey } from '../../core/identity/api-keys.js';
import type { WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import type { AttemptedDelivery } from '../../core/webhooks/event-deliveries.js';
import { headersOf, subscriptionOptionsOf } from './webhook-authorization.js';
import { isDixaWebhookEvent } from './webhook-events.js';
import { derivedUuid } from './webhook-format.js';

/** Seed `WebhookSubscription`. */
export const webhookSubscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  headers: z.record(z.string(), z.string()),
  secretKey: z.string(),
  subscribedEvents: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type DixaWebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

/** Seed `DeliveryDetail`. */
export const deliveryDetailSchema = z.object({
  success: z.boolean(),
  responseCode: z.number().int(),
  responseText: z.string(),
  deliveryTimestamp: z.string(),
});

/**
 * Seed `DeliveryStatus`, a oneOf of DeliveryDetail and the empty NoRecentDelivery. The `_type`
 * discriminator is how Dixa tells its oneOf members apart (as `_type` on WebhookAuthorization).
 */
export const deliveryStatusSchema = z.union([
  deliveryDetailSchema.extend({ _type: z.literal('DeliveryDetail') }),
  z.object({ _type: z.literal('NoRecentDelivery') }),
]);

export function toDixaSubscription(row: WebhookSubscriptionRow): DixaWebhookSubscription {
  const options = subscriptionOptionsOf(row.options);
  const createdBy = options.createdBy ?? '';
  return {
    id: row.uuid,
    url: row.url,
    name: row.name ?? '',
    enabled: row.enabled,
    headers: headersOf(options.authorization),
    secretKey: row.secret,
    subscribedEvents: row.events.filter(isDixaWebhookEvent),
    createdAt: row.createdAt.toISOString(),
    createdBy,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: options.updatedBy ?? createdBy,
  };
}

export function deliveryDetailOf({ lastAttempt }: AttemptedDelivery): z.infer<typeof deliveryDetailSchema> {
  const code = lastAttempt.statusCode;
  return {
    success: code !== null && code >= 200 && code < 300,
    // No HTTP answer at all (refused, timed out): there is no code to show, so 0.
    responseCode: code ?? 0,
    responseText: lastAttempt.responseSnippet ?? lastAttempt.error ?? '',
    deliveryTimestamp: lastAttempt.attemptedAt.toISOString(),
  };
}

/**
 * `createdBy` / `updatedBy` are users' UUIDs: the calling user, or the user who issued the API
 * key. A key issued by the platform has no user; its own derived UUID stands for it, stable per key.
 */
export async function actorUuidOf(db: Db, access: AccountAccess): Promise<string> {
  const principal = access.principal;
  const userId =
    principal.kind === 'user'
      ? principal.userId
      : principal.kind === 'api_key'
        ? (await getApiKey(db, access.accountId, principal.keyId)).createdByUserId
        : null;
  if (userId !== null) {
    const [user] = await db
      .select({ uuid: users.uuid })
      .from(users)
      .where(and(eq(users.id, userId)));
    if (user) return user.uuid;
  }
  return derivedUuid(
    `principal:${access.accountId}:${principal.kind}:${'keyId' in principal ? principal.keyId : 0}`,
  );
}
