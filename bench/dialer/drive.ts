/**
 * One simulated day of one campaign on the dialer engine: the carrier simulator behind the
 * `CallPlacer` port, a virtual clock, the engine's tick every `tickMs` and its carrier-event
 * handler, and simulated agents who log in at the window's opening, talk until the called party
 * hangs up, and wrap up after a drawn wrap-up time (through the engine's `wrapUpAttempt`).
 */
import type { Db } from '../../src/platform/db/database.js';
import { CarrierSimulator } from '../../src/core/telephony/carrier-simulator.js';
import { seededRandom } from '../../src/core/telephony/simulated-random.js';
import { VirtualClock } from '../../src/core/telephony/clock.js';
import {
  acceptPreview,
  dialerTick,
  handleCarrierEvent,
  joinCampaign,
  leaveCampaign,
  previewNext,
  wrapUpAttempt,
  type DialerDeps,
} from '../../src/core/dialer/dialer.js';
import type { SeededCampaign } from './seed.js';

export interface DriveOptions {
  seed: number;
  /** When agents log in; the engine ticks from `loginAt` to `closeAt` and beyond until calls end. */
  loginAt: Date;
  closeAt: Date;
  /** Ticks run this long before the window opens and after it closes (nothing may be dialled). */
  tickMs: number;
  /** The longest the engine goes without a tick when nothing happens. */
  heartbeatMs: number;
  onProgress?: (simulatedAt: Date) => void;
}

export interface DriveResult {
  carrier: CarrierSimulator;
  ticks: number;
  wrapUps: number;
  engineErrors: string[];
  realSeconds: number;
}

/** How long a preview-mode agent reads a contact before calling. */
const PREVIEW_MS = 10_000;

/** How the simulated agents qualify a call (shares), and how far a callback is set. */
const WRAPUP_MIX: { name: string; share: number; callbackInHours?: number }[] = [
  { name: 'Argued', share: 0.45 },
  { name: 'Not interested', share: 0.25 },
  { name: 'Interested', share: 0.15 },
  { name: 'Call back', share: 0.15, callbackInHours: 2 },
];

export async function driveDay(db: Db, seeded: SeededCampaign, options: DriveOptions): Promise<DriveResult> {
  const started = Date.now();
  const clock = new VirtualClock(new Date(options.loginAt.getTime() - 10 * 60_000));
  const carrier = new CarrierSimulator({ seed: options.seed, clock });
  const engineErrors: string[] = [];
  const noteError = (error: unknown, context: string) => {
    if (engineErrors.length < 50) engineErrors.push(`${context}: ${String(error)}`);
  };
  const deps: DialerDeps = { db, placer: carrier, clock, onError: noteError };
  const random = seededRandom(options.seed ^ 0x2545f491);
  let wrapUps = 0;
  /** Something the pacing depends on moved (a call ended or was answered, an agent is free again). */
  let changed = true;

  carrier.onHandlerError = (error, event) => noteError(error, `carrier event ${event.type}`);
  const isPreview = seeded.mode === 'preview';
  const previewAgents = new Map<number, number>();
  /** Preview: an agent reads the offered contact for PREVIEW_MS, then accepts and the call is placed. */
  const preview = (agentId: number) => {
    clock.setTimer(PREVIEW_MS, async () => {
      if (clock.now().getTime() >= options.closeAt.getTime()) return;
      const ref = { accountId: seeded.accountId, campaignId: seeded.campaignId, userId: agentId };
      try {
        const offered = await previewNext(deps, ref);
        if (!offered) {
          preview(agentId);
          return;
        }
        const { attemptId } = await acceptPreview(deps, ref);
        previewAgents.set(attemptId, agentId);
      } catch (error) {
        noteError(error, `preview by agent ${agentId}`);
        preview(agentId);
      }
    });
  };
  // The engine first, then the agent: by the time the agent reacts, the engine has ended the call.
  carrier.onEvent((event) => handleCarrierEvent(deps, event));
  carrier.onEvent((event) => {
    if (event.type !== 'ringing') changed = true;
    const call = carrier.call(event.carrierCallId);
    // Preview: the agent's call ended unanswered; they preview the next contact.
    if (
      isPreview &&
      call?.connectedAt === undefined &&
      event.type !== 'answered' &&
      event.type !== 'ringing'
    ) {
      const agentId = previewAgents.get(call?.request.attemptId ?? 0);
      if (agentId !== undefined) preview(agentId);
    }
    if (event.type !== 'hangup') return;
    if (call?.connectedAt === undefined || call.agentId === undefined) return;
    const agentId = call.agentId;
    const wrapMs = Math.round(carrier.sampleWrapupSeconds() * 1000);
    clock.setTimer(wrapMs, async () => {
      const choice = pickWrapup(random());
      const wrapupId = seeded.wrapups.get(choice.name);
      if (wrapupId === undefined) throw new Error(`no wrap-up code ${choice.name}`);
      const retryAt =
        choice.callbackInHours === undefined
          ? undefined
          : new Date(clock.now().getTime() + choice.callbackInHours * 3_600_000);
      try {
        await wrapUpAttempt(
          db,
          { accountId: seeded.accountId, attemptId: call.request.attemptId, agentId, wrapupId, retryAt },
          clock,
        );
        wrapUps += 1;
        changed = true;
        if (isPreview) preview(agentId);
      } catch (error) {
        noteError(error, `wrap-up of attempt ${call.request.attemptId}`);
      }
    });
  });

  let ticks = 0;
  let lastTickAt = 0;
  // The engine ticks when something changed, and at least every `heartbeatMs` (as a scheduler that
  // is woken by events would): an idle second costs no queries, a busy one one tick.
  const tick = async () => {
    const now = clock.now().getTime();
    if (!changed && now - lastTickAt < options.heartbeatMs) return;
    changed = false;
    lastTickAt = now;
    ticks += 1;
    try {
      await dialerTick(deps, seeded.campaignId, seeded.accountId);
    } catch (error) {
      noteError(error, 'tick');
    }
  };
  // Ten minutes before the window: nobody logged in yet, then agents log in (still before 09:00).
  await clock.advanceAsync(5 * 60_000);
  await logIn(db, seeded, clock);
  if (isPreview) for (const agentId of seeded.agentIds) preview(agentId);
  while (clock.now().getTime() < options.closeAt.getTime()) {
    await clock.advanceAsync(options.tickMs);
    await tick();
    if (clock.now().getTime() % 1_800_000 === 0) options.onProgress?.(clock.now());
  }
  // After closing: calls in progress end and are wrapped up; the engine keeps ticking (and must dial nothing).
  const drainUntil = options.closeAt.getTime() + 60 * 60_000;
  while (clock.now().getTime() < drainUntil && (carrier.counters.live > 0 || clock.pending > 0)) {
    await clock.advanceAsync(options.tickMs);
    await tick();
  }
  await logOut(db, seeded, clock, noteError);
  return { carrier, ticks, wrapUps, engineErrors, realSeconds: (Date.now() - started) / 1000 };
}

function pickWrapup(point: number): (typeof WRAPUP_MIX)[number] {
  let left = point;
  for (const choice of WRAPUP_MIX) {
    left -= choice.share;
    if (left < 0) return choice;
  }
  return WRAPUP_MIX[0]!;
}

/** The agents' client logging them into the campaign, ready. */
async function logIn(db: Db, seeded: SeededCampaign, clock: VirtualClock): Promise<void> {
  for (const userId of seeded.agentIds) {
    await joinCampaign(db, { accountId: seeded.accountId, campaignId: seeded.campaignId, userId }, clock);
  }
}

async function logOut(
  db: Db,
  seeded: SeededCampaign,
  clock: VirtualClock,
  noteError: (error: unknown, context: string) => void,
): Promise<void> {
  for (const userId of seeded.agentIds) {
    await leaveCampaign(
      db,
      { accountId: seeded.accountId, campaignId: seeded.campaignId, userId },
      clock,
    ).catch((error: unknown) => noteError(error, `agent ${userId} leaving`));
  }
}
