import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { releaseExpiredReservationJob } from './reservation-expiry.job.js';

/** The numbers module's background work: releasing store reservations at their expiry. */
export function createNumbersRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return { jobs: [releaseExpiredReservationJob], consumers: [], webhookFormats: [] };
}
