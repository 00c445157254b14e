import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Custom attribute definitions. */
export function registerDixaCustomAttributeRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
