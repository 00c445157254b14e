import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Activity logs, per conversation and per organization. */
export function registerDixaActivityLogRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
