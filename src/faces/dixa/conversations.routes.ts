import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Conversations: create, get, messages, notes, rating, claim, close, reopen, transfer, linked, custom attributes, flows. */
export function registerDixaConversationRoutes(app: TypedApp, ctx: AppContext): void {
  void app;
  void ctx;
}
