import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The contact batches' durable jobs. */
export function createContactBatchesRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
