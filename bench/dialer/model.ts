/**
 * `BENCH_DIALER_ENGINE=model`: the same day over the pure pacing model (pacing.ts + the carrier
 * simulator + in-memory agents, no database, no engine), at any scale in seconds. It shows what the
 * pacing algorithm does on its own; compliance (windows, 72 hours, do-not-call) is the engine's and
 * the database's job, so this mode has no audit.
 */
import type { DialingMode } from '../../src/core/campaigns/campaigns.tables.js';
import { runPacingModel, type PacingModelResult } from '../../src/core/dialer/pacing-model.js';

export async function runModelBench(settings: {
  agents: number;
  hours: number;
  seed: number;
  modes: DialingMode[];
}): Promise<PacingModelResult[]> {
  const results: PacingModelResult[] = [];
  for (const mode of settings.modes) {
    results.push(
      await runPacingModel({ mode, agents: settings.agents, hours: settings.hours, seed: settings.seed }),
    );
  }
  console.table(
    results.map((result) => ({
      mode: result.mode,
      'person talk min/agent·h': result.talkMinutesPerAgentHour.toFixed(1),
      'abandon %': (result.abandonRate * 100).toFixed(2),
      'calls/h': Math.round(result.callsPerHour),
      'idle %': (result.idleShare * 100).toFixed(1),
      'idle min/agent·h': (result.idleShare * 60).toFixed(1),
      answered: result.answered,
      abandoned: result.abandoned,
    })),
  );
  return results;
}
