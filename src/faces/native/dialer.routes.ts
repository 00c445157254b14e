import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** The dialer on the native API: campaign play/pause, agents joining campaigns, wrap-ups, do-not-call. */
export function registerNativeDialerRoutes(_app: TypedApp, _ctx: AppContext): void {}
