import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { webhookSubscriptions, type WebhookSubscriptionRow } from '../../core/webhooks/webhooks.tables.js';
import { CALLR_WEBHOOK_FORMAT } from '../../core/webhooks/subscription-sources.js';
import { createSubscription, updateSubscription } from '../../core/webhooks/subscriptions.js';
import { decodeHash } from './hash-ids.js';
import { engineAlgorithmOf, type CallrHmacAlgo } from './webhook-signing.js';
import { storedOptionsOf, type StoredCallrOptions } from './webhook-subscription.map.js';

/** Webhooks an account may hold; far above any real need, low enough that one key cannot flood fan-out. */
export const MAX_CALLR_WEBHOOKS = 100;
/** get_list answers in one page, as CALLR does: the cap above bounds it. */
const LIST_LIMIT = MAX_CALLR_WEBHOOKS;

export interface CallrWebhookOptionsInput {
  format?: 'JSON' | undefined;
  hmac_algo?: CallrHmacAlgo | undefined;
  hmac_secret?: string | undefined;
}

/** The account's CALLR webhooks; dynamic ones (see `webhook-dynamic.ts`) are not clients' to see or change. */
const scope = (accountId: number) =>
  and(
    eq(webhookSubscriptions.accountId, accountId),
    eq(webhookSubscriptions.format, CALLR_WEBHOOK_FORMAT),
    sql`not coalesce((${webhookSubscriptions.options} ->> 'dynamic')::boolean, false)`,
  );

/** A CALLR webhook of this account by its hash; anything else (another account's, another face's) is not found. */
export async function findCallrWebhook(
  db: Db,
  accountId: number,
  hash: string,
): Promise<WebhookSubscriptionRow> {
  const id = decodeHash('webhook', hash);
  if (id === null) throw notFound('Webhook');
  const [row] = await db
    .select()
    .from(webhookSubscriptions)
    .where(and(scope(accountId), eq(webhookSubscriptions.id, id)));
  if (!row) throw notFound('Webhook');
  return row;
}

export async function listCallrWebhooks(
  db: Db,
  accountId: number,
  type: string | undefined,
): Promise<WebhookSubscriptionRow[]> {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(
        scope(accountId),
        type === undefined ? undefined : sql`${webhookSubscriptions.events} @> array[${type}]::text[]`,
      ),
    )
    .orderBy(asc(webhookSubscriptions.id))
    .limit(LIST_LIMIT);
}

function storedOptions(type: string, input: CallrWebhookOptionsInput, previous?: StoredCallrOptions) {
  const options: StoredCallrOptions = {
    format: 'JSON',
    hmac_algo: input.hmac_algo ?? previous?.hmac_algo ?? 'SHA256',
    hmac_secret: input.hmac_secret ?? previous?.hmac_secret ?? '',
    type,
    dynamic: false,
  };
  // The engine signs with the row's own columns; they mirror the options.
  return {
    options,
    secret: options.hmac_secret,
    signatureAlgorithm: engineAlgorithmOf(options.hmac_algo),
  };
}

export async function subscribeCallrWebhook(
  db: Db,
  input: { accountId: number; type: string; endpoint: string; options: CallrWebhookOptionsInput },
): Promise<WebhookSubscriptionRow> {
  const [held] = await db.select({ total: count() }).from(webhookSubscriptions).where(scope(input.accountId));
  if ((held?.total ?? 0) >= MAX_CALLR_WEBHOOKS) {
    throw new DomainError(
      'CONFLICT',
      `This account already has ${MAX_CALLR_WEBHOOKS} webhooks; unsubscribe one first`,
    );
  }
  const stored = storedOptions(input.type, input.options);
  return createSubscription(db, {
    accountId: input.accountId,
    format: CALLR_WEBHOOK_FORMAT,
    url: input.endpoint,
    events: [input.type],
    options: stored.options,
    secret: stored.secret,
    signatureAlgorithm: stored.signatureAlgorithm,
  });
}

/** Changes the endpoint and/or options (given keys only); the type stays: subscribe again for another. */
export async function updateCallrWebhook(
  db: Db,
  row: WebhookSubscriptionRow,
  input: { endpoint?: string | undefined; options?: CallrWebhookOptionsInput | undefined },
): Promise<WebhookSubscriptionRow> {
  const previous = storedOptionsOf(row);
  const stored = input.options
    ? storedOptions(previous.type || (row.events[0] ?? ''), input.options, previous)
    : null;
  return updateSubscription(db, row.accountId, row.id, {
    ...(input.endpoint !== undefined && { url: input.endpoint }),
    ...(stored && {
      options: stored.options,
      secret: stored.secret,
      signatureAlgorithm: stored.signatureAlgorithm,
    }),
  });
}

/** Enabling clears the engine's failure record (core `updateSubscription`); disabling is the owner's DISABLED. */
export async function setCallrWebhookEnabled(
  db: Db,
  row: WebhookSubscriptionRow,
  enabled: boolean,
): Promise<WebhookSubscriptionRow> {
  if (enabled) return updateSubscription(db, row.accountId, row.id, { enabled: true });
  const [updated] = await db
    .update(webhookSubscriptions)
    .set({ enabled: false, disabledReason: null, disabledAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(scope(row.accountId), eq(webhookSubscriptions.id, row.id)))
    .returning();
  if (!updated) throw notFound('Webhook');
  return updated;
}

export async function unsubscribeCallrWebhook(db: Db, row: WebhookSubscriptionRow): Promise<void> {
  const deleted = await db
    .delete(webhookSubscriptions)
    .where(and(scope(row.accountId), eq(webhookSubscriptions.id, row.id)))
    .returning({ id: webhookSubscriptions.id });
  if (deleted.length === 0) throw notFound('Webhook');
}
