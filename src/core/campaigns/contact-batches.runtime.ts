import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { contactBatchJob } from './contact-batches.jobs.js';

/** The contact batches' durable jobs: one step (chunk) of a batch per run. */
export function createContactBatchesRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { jobs: [contactBatchJob], consumers: [], webhookFormats: [] };
}
