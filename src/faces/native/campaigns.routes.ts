import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** Campaigns, wrap-up codes and calendars on the native API. */
export function registerNativeCampaignRoutes(_app: TypedApp, _ctx: AppContext): void {}
