import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Webhook subscriptions, their delivery statuses and event logs. */
export function registerDixaWebhookRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
