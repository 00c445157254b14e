import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The jobs and event consumers of the routing engine (enqueue, offers, timeouts, abandonment). */
export function createRoutingRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  void deps;
  return emptyRuntime();
}
