import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { dixaWebhookFormat } from './webhook-format.js';

/** The Dixa face's webhook format (and anything else the face needs at run time). */
export function createDixaRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { ...emptyRuntime(), webhookFormats: [dixaWebhookFormat] };
}
