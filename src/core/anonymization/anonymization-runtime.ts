import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The jobs and event consumers of anonymization requests. */
export function createAnonymizationRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  void deps;
  return emptyRuntime();
}
