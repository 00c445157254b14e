import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Agents and admins: list, create (single and bulk), patch and update (single and bulk), downgrade, presence, teams. */
export function registerDixaAgentRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
