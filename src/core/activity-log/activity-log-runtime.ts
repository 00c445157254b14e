import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createActivityLogConsumer } from './activity-log-consumer.js';

/** The jobs and event consumers of the conversation activity log. */
export function createActivityLogRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { ...emptyRuntime(), consumers: [createActivityLogConsumer()] };
}
