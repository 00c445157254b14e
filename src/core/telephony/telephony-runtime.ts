import type { Config } from '../../platform/config.js';
import { emptyRuntime, type ModuleRuntime, type ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { createOutboundClient } from '../../platform/outbound/guarded-fetch.js';
import { CarrierSimulator } from './carrier-simulator.js';
import { processClock } from './clock.js';
import { simulatorSettings } from './simulator-settings.js';
import { clicktocallLegs, nextClicktocallLeg, cancelClicktocall } from './clicktocall.js';
import { plainRealtimeCodec, type RealtimeCodec } from './realtime-codec.js';
import { runRealtimeStep } from './realtime-session.js';
import {
  handleCarrierEvent,
  hangUpCall,
  placeCall,
  ringTimedOut,
  type TelephonyEngine,
} from './telephony-engine.js';
import { telephonyJobs } from './telephony.jobs.js';

/** RT.Response must come back within 5 seconds (the seed's RT.Response). */
export const REALTIME_TIMEOUT_MS = 5_000;

export interface TelephonyRuntimeHandle {
  engine: TelephonyEngine;
  simulator: CarrierSimulator;
}

const runtimesByApp = new WeakMap<Config, TelephonyRuntimeHandle>();

/** The app's telephony engine and carrier (tests force outcomes on the simulator). */
export function telephonyRuntimeOf(config: Config): TelephonyRuntimeHandle | undefined {
  return runtimesByApp.get(config);
}

/** Calls of the CALLR face: REALTIME10 sessions, broadcasts, click-to-call, over a carrier simulator. */
export function createTelephonyRuntime(
  deps: ModuleRuntimeDeps,
  options: { realtimeCodec?: RealtimeCodec } = {},
): ModuleRuntime {
  const simulator = new CarrierSimulator({
    ...simulatorSettings(deps.config.PARLEY_TELEPHONY_SIMULATOR, {
      name: 'PARLEY_TELEPHONY_SIMULATOR',
      defaultSeed: 7,
    }),
    clock: processClock,
  });
  const engine: TelephonyEngine = {
    db: deps.db,
    placer: simulator,
    clock: processClock,
    outbound: createOutboundClient({
      allowlist: deps.config.PARLEY_OUTBOUND_ALLOWLIST,
      timeoutMs: REALTIME_TIMEOUT_MS,
      maxResponseBytes: 64 * 1024,
      maxRedirects: 0,
    }),
    codec: options.realtimeCodec ?? plainRealtimeCodec,
    onError: (error, context) => deps.logger.warn({ err: error }, `telephony: ${context}`),
  };
  engine.legs = clicktocallLegs(engine);
  runtimesByApp.set(deps.config, { engine, simulator });
  simulator.onHandlerError = (error) => engine.onError(error, 'carrier event failed');
  simulator.onEvent((event) => handleCarrierEvent(engine, event));
  return {
    ...emptyRuntime(),
    jobs: telephonyJobs({
      placeCall: (payload) => placeCall(engine, payload),
      ringTimeout: (payload) => ringTimedOut(engine, payload),
      realtimeStep: (payload, ctx) => runRealtimeStep(engine, payload, ctx.signal),
      hangUp: (payload) => hangUpCall(engine, payload),
      clicktocallNext: (payload) => nextClicktocallLeg(engine, payload),
      clicktocallCancel: (payload) => cancelClicktocall(engine, payload),
    }),
  };
}
