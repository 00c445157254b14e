import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Teams: list, create, get, delete, members, presence. */
export function registerDixaTeamRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
