import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** PLACEHOLDER (H5 SMS (provider simulator, delivery receipts)): filled in by its helper. */
export function createSmsRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
