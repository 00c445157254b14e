import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createReportingConsumer } from './reporting-consumer.js';

/** The jobs and event consumers of the reporting events and their pre-aggregated tables. */
export function createAnalyticsRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  return { jobs: [], consumers: [createReportingConsumer({ logger: deps.logger })], webhookFormats: [] };
}
