import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Analytics: metric and record catalogs and data. */
export function registerDixaAnalyticsRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
