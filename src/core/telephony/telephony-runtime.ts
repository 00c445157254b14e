import type { z } from 'zod';
import type { Config } from '../../platform/config.js';
import {
  defineJob,
  type AnyJobDefinition,
  type JobContext,
  type JobTarget,
} from '../../platform/jobs/index.js';
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
import { callTrackingFollower, nextTrackingStep, saveVoicemail } from './call-tracking.js';
import { answerInbound, receiveInboundCall } from './inbound-calls.js';
import {
  answerInboundJob,
  clicktocallCancelJob,
  clicktocallNextJob,
  hangUpCallJob,
  placeCallJob,
  quickRetry,
  realtimeStepJob,
  ringTimeoutJob,
  saveVoicemailJob,
  trackingNextJob,
} from './telephony.jobs.js';

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

/** A telephony job: its target, with a live call's quick retries, and its handler. */
function telephonyJob<S extends z.ZodType>(
  target: JobTarget<z.input<S>> & { payloadSchema: S },
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<void>,
): AnyJobDefinition {
  return defineJob({ ...target, backoff: quickRetry, handler });
}

/**
 * Calls of the CALLR face over a carrier simulator: REALTIME10 sessions, broadcasts, click-to-call,
 * and inbound calls to the accounts' numbers (REALTIME10, CALLTRACKING10, ACTIONS10 apps).
 */
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
    inbound: simulator,
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
  engine.forwarding = callTrackingFollower(engine);
  runtimesByApp.set(deps.config, { engine, simulator });
  simulator.onHandlerError = (error) => engine.onError(error, 'carrier event failed');
  simulator.onEvent((event) => handleCarrierEvent(engine, event));
  simulator.onInboundCall((offer) => receiveInboundCall(engine, offer));
  return {
    ...emptyRuntime(),
    jobs: [
      telephonyJob(placeCallJob, (payload) => placeCall(engine, payload)),
      telephonyJob(ringTimeoutJob, (payload) => ringTimedOut(engine, payload)),
      telephonyJob(realtimeStepJob, (payload, ctx) => runRealtimeStep(engine, payload, ctx.signal)),
      telephonyJob(hangUpCallJob, (payload) => hangUpCall(engine, payload)),
      telephonyJob(clicktocallNextJob, (payload) => nextClicktocallLeg(engine, payload)),
      telephonyJob(clicktocallCancelJob, (payload) => cancelClicktocall(engine, payload)),
      telephonyJob(answerInboundJob, (payload) => answerInbound(engine, payload)),
      telephonyJob(trackingNextJob, (payload) => nextTrackingStep(engine, payload)),
      telephonyJob(saveVoicemailJob, (payload) => saveVoicemail(engine, deps.storage, payload)),
    ],
  };
}
