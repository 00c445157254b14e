import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

// Placeholder: filled in this session.
export function createAuditLogRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
