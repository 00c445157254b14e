import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createAuditLogConsumer } from './audit-log-consumer.js';

/** The audit log is written by one outbox consumer: administrative events become audit rows. */
export function createAuditLogRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { ...emptyRuntime(), consumers: [createAuditLogConsumer()] };
}
