import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The jobs and event consumers of the reporting events and their pre-aggregated tables. */
export function createAnalyticsRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  void deps;
  return emptyRuntime();
}
