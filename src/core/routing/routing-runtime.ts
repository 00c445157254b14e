import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { routingConsumer } from './routing.consumer.js';
import { routingJobs, scheduleSweep } from './routing.jobs.js';

/** The jobs and event consumers of the routing engine (enqueue, offers, timeouts, abandonment). */
export function createRoutingRuntime(_deps: ModuleRuntimeDeps): ModuleRuntime {
  return {
    ...emptyRuntime(),
    jobs: routingJobs,
    consumers: [routingConsumer],
    start: (db) => scheduleSweep(db),
  };
}
