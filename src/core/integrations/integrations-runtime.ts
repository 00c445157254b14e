import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/**
 * Integrations run no jobs or consumers of their own: a webhook hook is a webhook subscription,
 * delivered by the shared webhook engine in the Chatwoot account webhook format.
 */
export function createIntegrationsRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
