import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** Address books and broadcast campaigns' background work. */
export function createBroadcastsRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
