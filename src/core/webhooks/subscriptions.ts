import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound } from '../../platform/errors.js';
import {
  webhookSubscriptions,
  type SignatureAlgorithm,
  type WebhookSubscriptionRow,
} from './webhooks.tables.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import {
  subscriptionEventPayload,
  webhookCreated,
  webhookDeleted,
  webhookUpdated,
} from './webhooks.events.js';
import { openSubscription, openSubscriptions, sealedFields, webhookSecretKey } from './secret-box.js';

/**
 * Set when an API client asks for the change: it is then recorded as a `webhook.*` event (audit
 * logs, the event stream). Subscriptions the engine keeps for itself (automation rules, hooks,
 * inbox callbacks) are internals and not announced.
 */
export interface SubscriptionAudit {
  actor: Actor | undefined;
}

async function announce(
  tx: Db,
  definition: typeof webhookCreated,
  row: WebhookSubscriptionRow,
  audit: SubscriptionAudit | undefined,
): Promise<void> {
  if (!audit) return;
  await recordEvent(tx, definition, {
    accountId: row.accountId,
    aggregateId: row.id,
    payload: subscriptionEventPayload(row),
    actor: audit.actor,
  });
}

export interface SubscriptionInput {
  url: string;
  name?: string | null | undefined;
  events?: string[] | undefined;
  enabled?: boolean | undefined;
  signatureAlgorithm?: SignatureAlgorithm | undefined;
  options?: Record<string, unknown> | undefined;
}

/**
 * Only http(s) targets without credentials. Which addresses are reachable is decided by
 * `assertDeliverableUrl` (faces call it before a create or update, since it may resolve DNS and
 * must not run inside a transaction) and again by the delivery-time guard.
 */
export function assertWebhookUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'url is not a valid URL', [
      { path: 'url', message: 'is invalid' },
    ]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new DomainError('VALIDATION_FAILED', 'url must use http or https', [
      { path: 'url', message: 'must use http or https' },
    ]);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new DomainError('VALIDATION_FAILED', 'url must not contain a user name or password', [
      { path: 'url', message: 'must not contain credentials' },
    ]);
  }
}

export async function createSubscription(
  db: Db,
  input: SubscriptionInput & { accountId: number; format: string; secret: string },
  audit?: SubscriptionAudit,
): Promise<WebhookSubscriptionRow> {
  assertWebhookUrl(input.url);
  const sealed = sealedFields(await webhookSecretKey(db), {
    secret: input.secret,
    options: input.options ?? {},
  });
  // A transaction although it is one insert: an Idempotency-Key's fence commits with transactions.
  const row = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(webhookSubscriptions)
      .values({
        accountId: input.accountId,
        format: input.format,
        url: input.url,
        name: input.name ?? null,
        events: input.events ?? [],
        enabled: input.enabled ?? true,
        secret: sealed.secret ?? '',
        secretsSealed: true,
        signatureAlgorithm: input.signatureAlgorithm ?? 'sha256',
        options: sealed.options ?? {},
      })
      .returning();
    if (!inserted) throw new Error('insert returned no subscription');
    await announce(tx, webhookCreated, inserted, audit);
    return inserted;
  });
  return openSubscription(db, row);
}

export async function getSubscription(
  db: Db,
  accountId: number,
  id: number,
  format?: string,
): Promise<WebhookSubscriptionRow> {
  const [row] = await db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, accountId),
        eq(webhookSubscriptions.id, id),
        format === undefined ? undefined : eq(webhookSubscriptions.format, format),
      ),
    );
  if (!row) throw notFound('Webhook');
  return openSubscription(db, row);
}

export async function listSubscriptions(
  db: Db,
  options: { accountId: number; format?: string | undefined; beforeId?: number | undefined; limit: number },
): Promise<Page<WebhookSubscriptionRow>> {
  const rows = await db
    .select()
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, options.accountId),
        options.format === undefined ? undefined : eq(webhookSubscriptions.format, options.format),
        options.beforeId === undefined ? undefined : lt(webhookSubscriptions.id, options.beforeId),
      ),
    )
    .orderBy(desc(webhookSubscriptions.id))
    .limit(options.limit + 1);
  return toPage(await openSubscriptions(db, rows), options.limit, (row) => row.id);
}

/** Re-enabling clears the failure record, so the endpoint starts with a clean slate. */
export async function updateSubscription(
  db: Db,
  accountId: number,
  id: number,
  input: Partial<SubscriptionInput> & { secret?: string | undefined },
  audit?: SubscriptionAudit,
): Promise<WebhookSubscriptionRow> {
  if (input.url !== undefined) assertWebhookUrl(input.url);
  const isReenabling = input.enabled === true;
  // A row still in clear is sealed first, so the fields not given here are sealed too.
  await getSubscription(db, accountId, id);
  const sealed = sealedFields(await webhookSecretKey(db), input);
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookSubscriptions)
      .set({
        ...(input.url !== undefined && { url: input.url }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.events !== undefined && { events: input.events }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        ...(sealed.secret !== undefined && { secret: sealed.secret }),
        ...(input.signatureAlgorithm !== undefined && { signatureAlgorithm: input.signatureAlgorithm }),
        ...(sealed.options !== undefined && { options: sealed.options }),
        ...(isReenabling && {
          disabledReason: null,
          disabledAt: null,
          failingSince: null,
          consecutiveFailures: 0,
          circuitOpenUntil: null,
        }),
        updatedAt: sql`now()`,
      })
      .where(and(eq(webhookSubscriptions.accountId, accountId), eq(webhookSubscriptions.id, id)))
      .returning();
    if (!updated) throw notFound('Webhook');
    await announce(tx, webhookUpdated, updated, audit);
    return updated;
  });
  return openSubscription(db, row);
}

export async function deleteSubscription(
  db: Db,
  accountId: number,
  id: number,
  audit?: SubscriptionAudit,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.accountId, accountId), eq(webhookSubscriptions.id, id)))
      .returning();
    if (!deleted) throw notFound('Webhook');
    await announce(tx, webhookDeleted, deleted, audit);
  });
}
