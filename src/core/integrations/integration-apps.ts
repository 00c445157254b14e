import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { CHATWOOT_ACCOUNT_WEBHOOK_FORMAT } from '../webhooks/subscription-sources.js';
import { webhookSubscriptions } from '../webhooks/webhooks.tables.js';
import { listIntegrationHooks, type IntegrationHookView } from './integration-hooks.js';
import { integrationApps, webhookApp, type IntegrationApp } from './integration-catalogue.js';

export interface IntegrationAppState {
  app: IntegrationApp;
  /** Chatwoot: the webhook app is enabled when the account has a webhook, from this API or not. */
  isEnabled: boolean;
  hooks: IntegrationHookView[];
}

async function hasLiveAccountWebhook(db: Db, accountId: number): Promise<boolean> {
  const [row] = await db
    .select({ total: count() })
    .from(webhookSubscriptions)
    .where(
      and(
        eq(webhookSubscriptions.accountId, accountId),
        eq(webhookSubscriptions.format, CHATWOOT_ACCOUNT_WEBHOOK_FORMAT),
        eq(webhookSubscriptions.enabled, true),
      ),
    );
  return (row?.total ?? 0) > 0;
}

/** Every app with this account's state: one query for the hooks, one for the webhook app's state. */
export async function listIntegrationApps(db: Db, accountId: number): Promise<IntegrationAppState[]> {
  const [hooks, hasWebhook] = await Promise.all([
    listIntegrationHooks(db, accountId),
    hasLiveAccountWebhook(db, accountId),
  ]);
  return integrationApps.map((app) => {
    const appHooks = hooks.filter((hook) => hook.appId === app.id);
    const isEnabled = app.id === webhookApp.id ? hasWebhook : appHooks.some((hook) => hook.isEnabled);
    return { app, isEnabled, hooks: appHooks };
  });
}
