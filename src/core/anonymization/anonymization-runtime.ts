import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { withAnonymizeHandler } from './anonymization.jobs.js';
import { createAnonymizeHandler } from './anonymize-entity.js';

/** The jobs and event consumers of anonymization requests. */
export function createAnonymizationRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const handler = createAnonymizeHandler({ db: deps.db, storage: deps.storage, logger: deps.logger });
  return { ...emptyRuntime(), jobs: [withAnonymizeHandler(handler)] };
}
