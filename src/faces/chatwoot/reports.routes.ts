import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';

// Placeholder: filled in this session.
export function registerReportsRoutes(_app: TypedApp, _ctx: AppContext): void {}
