import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Routing operations on a conversation: claim, transfer to a queue, reopen in its queue. */
export function registerDixaConversationRoutingRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
