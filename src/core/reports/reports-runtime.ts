import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';

/**
 * Chatwoot reports only read: the analytics reporting consumer writes the reporting events and
 * counters they read as things happen, so there is no job or consumer of their own.
 */
export function createReportsRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return emptyRuntime();
}
