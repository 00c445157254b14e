import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

export function registerDiabolocomWrapupsRoutes(_app: TypedApp, _ctx: AppContext): void {}
