import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Full-text search over conversations. */
export function registerDixaSearchRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
