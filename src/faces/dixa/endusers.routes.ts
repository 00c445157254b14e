import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** End users: list, create (single and bulk), patch and update (single and bulk), conversations, custom attributes. */
export function registerDixaEndUserRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
