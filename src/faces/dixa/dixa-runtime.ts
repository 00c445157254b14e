import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/** The Dixa face's webhook format (and anything else the face needs at run time). */
export function createDixaRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  void deps;
  return emptyRuntime();
}
