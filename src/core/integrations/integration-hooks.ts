import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import { CHATWOOT_ACCOUNT_WEBHOOK_FORMAT } from '../webhooks/subscription-sources.js';
import { createSubscription, deleteSubscription, updateSubscription } from '../webhooks/subscriptions.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';
import { getIntegrationApp, webhookApp } from './integration-catalogue.js';
import {
  integrationHookCreated,
  integrationHookDeleted,
  integrationHookUpdated,
  type IntegrationHookPayload,
} from './integrations.events.js';
import { integrationHooks, type IntegrationHookRow } from './integrations.tables.js';

/** A webhook hook's settings: where, which events (Chatwoot names), and a label. */
export interface WebhookHookSettings {
  url: string;
  name: string | null;
  events: string[];
}

export interface IntegrationHookView {
  id: number;
  accountId: number;
  appId: string;
  inboxId: number | null;
  isEnabled: boolean;
  settings: Record<string, unknown>;
  /** Set for webhook hooks: read from their subscription, the one place they are kept. */
  webhook: WebhookHookSettings | null;
}

const hookColumns = {
  hook: integrationHooks,
  url: webhookSubscriptions.url,
  name: webhookSubscriptions.name,
  events: webhookSubscriptions.events,
  isDelivering: webhookSubscriptions.enabled,
};

function viewOf(result: {
  hook: IntegrationHookRow;
  url: string | null;
  name: string | null;
  events: string[] | null;
  isDelivering: boolean | null;
}): IntegrationHookView {
  const { hook } = result;
  return {
    id: hook.id,
    accountId: hook.accountId,
    appId: hook.appId,
    inboxId: hook.inboxId,
    // A webhook Parley switched off after it kept failing is not enabled, whatever was asked.
    isEnabled: hook.isEnabled && result.isDelivering !== false,
    settings: hook.settings,
    webhook: result.url === null ? null : { url: result.url, name: result.name, events: result.events ?? [] },
  };
}

function selectHooks(db: Db) {
  return db
    .select(hookColumns)
    .from(integrationHooks)
    .leftJoin(
      webhookSubscriptions,
      and(
        eq(webhookSubscriptions.accountId, integrationHooks.accountId),
        eq(webhookSubscriptions.id, integrationHooks.subscriptionId),
      ),
    );
}

export async function listIntegrationHooks(db: Db, accountId: number): Promise<IntegrationHookView[]> {
  const rows = await selectHooks(db)
    .where(eq(integrationHooks.accountId, accountId))
    .orderBy(asc(integrationHooks.id))
    .limit(1000);
  return rows.map(viewOf);
}

export async function getIntegrationHook(
  db: Db,
  accountId: number,
  id: number,
): Promise<IntegrationHookView> {
  const [row] = await selectHooks(db).where(
    and(eq(integrationHooks.accountId, accountId), eq(integrationHooks.id, id)),
  );
  if (!row) throw notFound('Integration hook');
  return viewOf(row);
}

function payloadOf(view: IntegrationHookView): IntegrationHookPayload {
  return {
    id: view.id,
    appId: view.appId,
    inboxId: view.inboxId,
    isEnabled: view.isEnabled,
    url: view.webhook?.url ?? null,
    events: view.webhook?.events ?? [],
  };
}

export interface CreateIntegrationHookInput {
  accountId: number;
  appId: string;
  inboxId?: number | undefined;
  isEnabled?: boolean | undefined;
  /** Required for the webhook app; `secret` in the format's shape signs its deliveries. */
  webhook?: (WebhookHookSettings & { secret: string }) | undefined;
}

function requireWebhookSettings(input: { webhook?: WebhookHookSettings | undefined }): WebhookHookSettings {
  if (input.webhook) return input.webhook;
  throw new DomainError('VALIDATION_FAILED', 'A webhook needs settings with a url', [
    { path: 'settings.url', message: "can't be blank" },
  ]);
}

/** Connects an app; a webhook hook gets its subscription in the same transaction. */
export async function createIntegrationHook(
  db: Db,
  input: CreateIntegrationHookInput,
  actor: Actor,
): Promise<IntegrationHookView> {
  const app = getIntegrationApp(input.appId);
  if (app.hookType === 'account' && input.inboxId !== undefined) {
    throw new DomainError('VALIDATION_FAILED', `${app.id} is an account integration; it takes no inbox_id`, [
      { path: 'inbox_id', message: 'must be blank for an account integration' },
    ]);
  }
  const webhook = app.id === webhookApp.id ? requireWebhookSettings(input) : null;
  const isEnabled = input.isEnabled ?? true;
  return db.transaction(async (tx) => {
    const subscription =
      webhook && input.webhook
        ? await createSubscription(tx, {
            accountId: input.accountId,
            format: CHATWOOT_ACCOUNT_WEBHOOK_FORMAT,
            url: webhook.url,
            name: webhook.name,
            events: webhook.events,
            enabled: isEnabled,
            secret: input.webhook.secret,
          })
        : null;
    const [row] = await tx
      .insert(integrationHooks)
      .values({
        accountId: input.accountId,
        appId: app.id,
        inboxId: input.inboxId ?? null,
        isEnabled,
        subscriptionId: subscription?.id ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned no integration hook');
    const view = await getIntegrationHook(tx, input.accountId, row.id);
    await recordEvent(tx, integrationHookCreated, {
      accountId: input.accountId,
      aggregateId: row.id,
      payload: payloadOf(view),
      actor,
    });
    return view;
  });
}

export interface UpdateIntegrationHookInput {
  isEnabled?: boolean | undefined;
  webhook?: WebhookHookSettings | undefined;
}

/** Switches a hook on or off and replaces its settings (Chatwoot replaces them whole). */
export async function updateIntegrationHook(
  db: Db,
  accountId: number,
  id: number,
  input: UpdateIntegrationHookInput,
  actor: Actor,
): Promise<IntegrationHookView> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(integrationHooks)
      .where(and(eq(integrationHooks.accountId, accountId), eq(integrationHooks.id, id)))
      .for('update');
    if (!current) throw notFound('Integration hook');
    if (current.subscriptionId !== null && (input.webhook !== undefined || input.isEnabled !== undefined)) {
      await updateSubscription(tx, accountId, current.subscriptionId, {
        ...(input.webhook && {
          url: input.webhook.url,
          name: input.webhook.name,
          events: input.webhook.events,
        }),
        enabled: input.isEnabled,
      });
    }
    await tx
      .update(integrationHooks)
      .set({ ...(input.isEnabled !== undefined && { isEnabled: input.isEnabled }), updatedAt: sql`now()` })
      .where(and(eq(integrationHooks.accountId, accountId), eq(integrationHooks.id, id)));
    const view = await getIntegrationHook(tx, accountId, id);
    await recordEvent(tx, integrationHookUpdated, {
      accountId,
      aggregateId: id,
      payload: payloadOf(view),
      actor,
    });
    return view;
  });
}

/** Disconnects an app; a webhook hook's subscription (and its pending deliveries) goes with it. */
export async function deleteIntegrationHook(
  db: Db,
  accountId: number,
  id: number,
  actor: Actor,
): Promise<void> {
  await db.transaction(async (tx) => {
    const view = await getIntegrationHook(tx, accountId, id);
    const [deleted] = await tx
      .delete(integrationHooks)
      .where(and(eq(integrationHooks.accountId, accountId), eq(integrationHooks.id, id)))
      .returning({ subscriptionId: integrationHooks.subscriptionId });
    if (!deleted) throw notFound('Integration hook');
    if (deleted.subscriptionId !== null) await deleteSubscription(tx, accountId, deleted.subscriptionId);
    await recordEvent(tx, integrationHookDeleted, {
      accountId,
      aggregateId: id,
      payload: payloadOf(view),
      actor,
    });
  });
}
