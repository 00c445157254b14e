import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** PLACEHOLDER (H2 numbers (reservation expiry jobs)): filled in by its helper. */
export function createNumbersRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
