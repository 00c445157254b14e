import { z } from 'zod';
import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import type { Config } from '../../platform/config.js';
import { CarrierSimulator, type CarrierSimulatorOptions } from '../telephony/carrier-simulator.js';
import type { Clock } from '../telephony/clock.js';
import { handleCarrierEvent } from './carrier-events.js';
import type { DialerDeps } from './dialer-deps.js';
import { createDialerJobs } from './dialer.jobs.js';

/**
 * The carrier simulator's settings, from `PARLEY_DIALER_SIMULATOR` (JSON: seed, outcomeWeights,
 * ringSeconds, talkSeconds, wrapupSeconds, silenceHangupSeconds, forcedOutcomes — see
 * CarrierSimulatorOptions). Production has no other carrier yet; a later issue puts SIP behind the port.
 */
const simulatorSettingsSchema = z.object({ seed: z.number().int().default(1) }).catchall(z.unknown());

export function simulatorSettings(raw: string | undefined): Omit<CarrierSimulatorOptions, 'clock'> {
  if (!raw) return { seed: 1 };
  try {
    const parsed: Omit<CarrierSimulatorOptions, 'clock'> = simulatorSettingsSchema.parse(JSON.parse(raw));
    return parsed;
  } catch {
    throw new Error('PARLEY_DIALER_SIMULATOR must be a JSON object of carrier simulator options');
  }
}

/** Wall-clock time whose timers do not keep the process alive (a closing app has calls in flight). */
const processClock: Clock = {
  now: () => new Date(),
  setTimer(atOrDelayMs, fn) {
    const delay = atOrDelayMs instanceof Date ? atOrDelayMs.getTime() - Date.now() : atOrDelayMs;
    // A timer's work (e.g. the grace check) reports its own errors; nothing awaits it here.
    const handle = setTimeout(() => void fn(), Math.max(0, delay));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

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
    ...simulatorSettings(deps.config.PARLEY_DIALER_SIMULATOR),
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
