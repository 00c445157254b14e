import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

export function registerDiabolocomContactBatchesRoutes(_app: TypedApp, _ctx: AppContext): void {}
