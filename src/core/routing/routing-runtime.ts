import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { routingConsumer } from './routing.consumer.js';
import { routingJobs, scheduleSweep } from './routing.jobs.js';
import { offerRatingJob } from './csat-offer.js';
import { publicUrl } from '../../platform/config.js';

/** The jobs and event consumers of the routing engine (enqueue, offers, timeouts, abandonment, CSAT offers). */
export function createRoutingRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  return {
    ...emptyRuntime(),
    jobs: [...routingJobs, offerRatingJob(publicUrl(deps.config))],
    consumers: [routingConsumer],
    start: (db) => scheduleSweep(db),
  };
}
