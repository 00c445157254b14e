import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Queues and their members. */
export function registerDixaQueueRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
