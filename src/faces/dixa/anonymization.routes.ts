import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Anonymization requests for end users, conversations and messages. */
export function registerDixaAnonymizationRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
