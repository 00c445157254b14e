import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Tags, and tagging conversations. */
export function registerDixaTagRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
