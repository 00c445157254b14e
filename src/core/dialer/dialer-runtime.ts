import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import type { Config } from '../../platform/config.js';
import { CarrierSimulator } from '../telephony/carrier-simulator.js';
import { processClock } from '../telephony/clock.js';
import { simulatorSettings } from '../telephony/simulator-settings.js';
import { handleCarrierEvent } from './carrier-events.js';
import type { DialerDeps } from './dialer-deps.js';
import { createDialerJobs } from './dialer.jobs.js';

/**
 * Each app's engine, by the app's config object (one per app, shared by the runtime and the faces'
 * context), for the native routes: accepting a preview places a call through the app's carrier.
 */
const enginesByApp = new WeakMap<Config, DialerDeps>();

export function dialerEngineOf(config: Config): DialerDeps | undefined {
  return enginesByApp.get(config);
}

/** The dialer's durable jobs (sweep, per-campaign ticks, call records) and its carrier. */
export function createDialerRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const simulator = new CarrierSimulator({
    ...simulatorSettings(deps.config.PARLEY_DIALER_SIMULATOR, {
      name: 'PARLEY_DIALER_SIMULATOR',
      defaultSeed: 1,
    }),
    clock: processClock,
  });
  const jobs = createDialerJobs(() => engine);
  const engine: DialerDeps = {
    db: deps.db,
    placer: simulator,
    clock: processClock,
    storage: deps.storage,
    onCallEnded: (tx, attempt) => jobs.onCallEnded(tx, attempt),
    onError: (error, context) => deps.logger.warn({ err: error }, `dialer: ${context}`),
  };
  enginesByApp.set(deps.config, engine);
  simulator.onHandlerError = (error) => deps.logger.warn({ err: error }, 'dialer: carrier event failed');
  simulator.onEvent(async (event) => {
    await handleCarrierEvent(engine, event);
  });
  return { ...emptyRuntime(), jobs: jobs.jobs, start: (db) => jobs.schedule(db) };
}
