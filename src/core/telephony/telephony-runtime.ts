import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** PLACEHOLDER (H4 calls (REALTIME10, broadcast, click-to-call jobs and the carrier simulator)): filled in by its helper. */
export function createTelephonyRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
