import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The jobs and event consumers of the conversation activity log. */
export function createActivityLogRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  void deps;
  return emptyRuntime();
}
