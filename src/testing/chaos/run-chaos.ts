import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTenant } from './chaos-client.js';
import { flaky } from './chaos-receiver.js';
import {
  killDuringDelivery,
  killDuringWrites,
  type KillDuringDeliveryReport,
  type KillDuringWritesReport,
} from './kill-scenarios.js';
import { ParleyProcess } from './parley-process.js';
import {
  measureFlakyReceiver,
  measureIsolation,
  measureRetryAfterZero,
  type FlakyReport,
  type IsolationReport,
  type RetryAfterReport,
} from './webhook-scenarios.js';

export interface ChaosScale {
  writers: number;
  writesPerWriter: number;
  killAfterAcks: number;
  inFlightEvents: number;
  hangingEvents: number;
  isolationSamples: number;
  retryAfterWindowMs: number;
  flakyEvents: number;
  flakyWindowMs: number;
  eventWaitMs: number;
}

/** Short enough for CI (about a minute), and still able to fail on every property the suite checks. */
export const ciScale: ChaosScale = {
  writers: 4,
  writesPerWriter: 40,
  killAfterAcks: 60,
  inFlightEvents: 12,
  hangingEvents: 16,
  isolationSamples: 3,
  retryAfterWindowMs: 6_000,
  flakyEvents: 20,
  flakyWindowMs: 15_000,
  eventWaitMs: 30_000,
};

export const benchScale: ChaosScale = {
  writers: 10,
  writesPerWriter: 300,
  killAfterAcks: 1_200,
  inFlightEvents: 60,
  hangingEvents: 64,
  isolationSamples: 10,
  retryAfterWindowMs: 20_000,
  flakyEvents: 100,
  flakyWindowMs: 30_000,
  eventWaitMs: 60_000,
};

export interface ChaosReport {
  database: 'embedded' | 'server';
  killDuringWrites: KillDuringWritesReport;
  killDuringDelivery: KillDuringDeliveryReport;
  isolation: IsolationReport;
  retryAfterZero: RetryAfterReport;
  flakyReceiver: FlakyReport;
}

/**
 * The reliability suite: one real Parley process, killed and restarted twice, with webhook
 * receivers that hang, fail at random and answer `Retry-After: 0`.
 */
export async function runChaos(scale: ChaosScale, databaseUrl?: string): Promise<ChaosReport> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-chaos-'));
  const parley = new ParleyProcess({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    await parley.start();
    const tenant = (name: string) => createTenant(parley.baseUrl, name);
    const isolation = await measureIsolation(parley, await tenant('hanging'), await tenant('healthy'), {
      hangingEvents: scale.hangingEvents,
      samples: scale.isolationSamples,
    });
    const flakyRun = measureFlakyReceiver(parley, await tenant('flaky'), flaky(0.3, 42), {
      events: scale.flakyEvents,
      windowMs: scale.flakyWindowMs,
    });
    const retryAfterZero = await measureRetryAfterZero(
      parley,
      await tenant('retrying'),
      scale.retryAfterWindowMs,
    );
    const flakyReceiver = await flakyRun;
    const writes = await killDuringWrites(parley, await tenant('writes'), {
      writers: scale.writers,
      writesPerWriter: scale.writesPerWriter,
      killAfterAcks: scale.killAfterAcks,
      eventWaitMs: scale.eventWaitMs,
    });
    const delivery = await killDuringDelivery(parley, await tenant('delivery'), {
      events: scale.inFlightEvents,
      // Long enough that a delivery seen in flight is still in flight when the kill lands, even on a
      // loaded machine running other test files beside this one.
      receiverDelayMs: 2_000,
      eventWaitMs: scale.eventWaitMs,
    });
    return {
      database: databaseUrl ? 'server' : 'embedded',
      isolation,
      retryAfterZero,
      flakyReceiver,
      killDuringWrites: writes,
      killDuringDelivery: delivery,
    };
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- parley output ---\n${parley.log}`,
    );
  } finally {
    await parley.kill();
    await rm(dataDir, { recursive: true, force: true });
  }
}
