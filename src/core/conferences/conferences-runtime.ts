import type { ModuleRuntime, ModuleRuntimeDeps } from '../../platform/module-runtime.js';
import { telephonyRuntimeOf } from '../telephony/telephony-runtime.js';
import {
  dialParticipant,
  handleLegEvent,
  legRingTimedOut,
  type ConferenceCallEngine,
} from './conference-legs.js';
import { conferenceJobs } from './conferences.jobs.js';

/**
 * Conference rooms' background work: their legs go through the telephony runtime's carrier (the
 * app creates that runtime first), on its clock, so tests steer both with the same simulator.
 */
export function createConferencesRuntime(deps: ModuleRuntimeDeps): ModuleRuntime {
  const telephony = telephonyRuntimeOf(deps.config);
  if (!telephony) throw new Error('conference rooms need the telephony runtime: create it first');
  const engine: ConferenceCallEngine = {
    db: deps.db,
    placer: telephony.engine.placer,
    clock: telephony.engine.clock,
  };
  telephony.engine.placer.onEvent(async (event) => {
    try {
      await handleLegEvent(engine, event);
    } catch (error) {
      deps.logger.warn({ err: error }, 'conferences: carrier event failed');
    }
  });
  return {
    jobs: conferenceJobs({
      dialParticipant: (payload) => dialParticipant(engine, payload),
      ringTimeout: (payload) => legRingTimedOut(engine, payload),
    }),
    consumers: [],
    webhookFormats: [],
  };
}
