import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

/** PLACEHOLDER (H2): native phone-number inventory routes. */
export function registerNativeNumberRoutes(_app: TypedApp, _ctx: AppContext): void {}
