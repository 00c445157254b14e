import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The dialer's durable jobs and consumers. */
export function createDialerRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
