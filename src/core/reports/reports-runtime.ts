import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

// Placeholder: filled in this session.
export function createReportsRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
