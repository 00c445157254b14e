import { z } from 'zod';
import type { CarrierSimulatorOptions } from './carrier-simulator.js';

const settingsSchema = z.object({ seed: z.number().int().optional() }).catchall(z.unknown());

/**
 * A carrier simulator's options from its configuration value (JSON: seed, outcomeWeights,
 * ringSeconds, talkSeconds, silenceHangupSeconds, forcedOutcomes — see CarrierSimulatorOptions).
 * Production has no other carrier yet; a later issue puts SIP behind the same port.
 */
export function simulatorSettings(
  raw: string | undefined,
  options: { name: string; defaultSeed: number },
): Omit<CarrierSimulatorOptions, 'clock'> {
  if (!raw) return { seed: options.defaultSeed };
  try {
    const parsed = settingsSchema.parse(JSON.parse(raw));
    return { ...parsed, seed: parsed.seed ?? options.defaultSeed };
  } catch {
    throw new Error(`${options.name} must be a JSON object of carrier simulator options`);
  }
}
