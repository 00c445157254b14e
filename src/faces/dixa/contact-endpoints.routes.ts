import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Contact endpoints: the email addresses and phone numbers conversations arrive on. */
export function registerDixaContactEndpointRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
