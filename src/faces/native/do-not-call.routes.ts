import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** The account's do-not-call list on the native API. */
export function registerNativeDoNotCallRoutes(_app: TypedApp, _ctx: AppContext): void {}
