/**
 * The pacing model run in memory: simulated agents, the carrier simulator and `callsToPlace`, on a
 * virtual clock, with no database. It checks the pacing algorithm on its own (pacing.test.ts) and
 * lets the bench compare modes when the engine is not the thing under test. The engine itself
 * (dialer-tick.ts) is what the bench measures on PostgreSQL.
 */
import type { DialingMode } from '../campaigns/campaigns.tables.js';
import type { CarrierEvent } from '../telephony/call-placer.js';
import { CarrierSimulator, type CarrierSimulatorOptions } from '../telephony/carrier-simulator.js';
import { VirtualClock } from '../telephony/clock.js';
import {
  agentsFreeWithin,
  callsToPlace,
  defaultPacingTuning,
  detectsMachines,
  horizonSeconds,
  type PacingStats,
  type PacingTuning,
} from './pacing.js';

export interface PacingModelOptions {
  mode: DialingMode;
  agents: number;
  hours: number;
  seed: number;
  /** How often pacing runs (ms of simulated time). */
  tickMs?: number;
  carrier?: Omit<CarrierSimulatorOptions, 'seed' | 'clock'>;
  maxAbandonRate?: number;
  /** Abandoned / answered carried in from the previous 30 days. */
  history?: { abandoned: number; answered: number };
  tuning?: PacingTuning;
}

export interface PacingModelResult {
  mode: DialingMode;
  placed: number;
  /** Answered by a person (connected or abandoned). */
  answered: number;
  abandoned: number;
  abandonRate: number;
  talkMinutesPerAgentHour: number;
  callsPerHour: number;
  /** Share of agent time spent ready with no call. */
  idleShare: number;
}

interface ModelAgent {
  id: number;
  state: 'ready' | 'on_call' | 'wrap_up';
  since: number;
}

const GRACE_MS = 2_000;

export async function runPacingModel(options: PacingModelOptions): Promise<PacingModelResult> {
  const clock = new VirtualClock(new Date('2026-01-05T08:00:00Z'));
  const carrier = new CarrierSimulator({ ...options.carrier, seed: options.seed, clock });
  const agents: ModelAgent[] = Array.from({ length: options.agents }, (_, index) => ({
    id: index + 1,
    state: 'ready' as const,
    since: clock.now().getTime(),
  }));
  const ringing = new Set<string>();
  const waiting: { carrierCallId: string; answeredAt: number }[] = [];
  const onCall = new Map<string, ModelAgent>();
  const ended = { dials: 0, persons: 0, ringSeconds: 0, talkSeconds: 0, talks: 0, wrapSeconds: 0, wraps: 0 };
  let abandoned = 0;
  let answered = 0;
  let idleMs = 0;
  const placedAt = new Map<string, number>();
  const history = options.history ?? { abandoned: 0, answered: 0 };

  const setState = (agent: ModelAgent, state: ModelAgent['state']) => {
    const now = clock.now().getTime();
    if (agent.state === 'ready') idleMs += now - agent.since;
    agent.state = state;
    agent.since = now;
  };
  const connect = async (carrierCallId: string): Promise<boolean> => {
    const agent = agents.find((candidate) => candidate.state === 'ready');
    if (!agent) return false;
    setState(agent, 'on_call');
    onCall.set(carrierCallId, agent);
    await carrier.connect(carrierCallId, agent.id);
    return true;
  };
  const serveWaiting = async () => {
    while (waiting.length > 0 && agents.some((agent) => agent.state === 'ready')) {
      const next = waiting.shift();
      if (next) await connect(next.carrierCallId);
    }
  };
  const onEvent = async (event: CarrierEvent) => {
    const id = event.carrierCallId;
    if (event.type === 'ringing') return;
    if (ringing.delete(id)) {
      ended.dials += 1;
      if (event.type === 'answered') {
        ended.persons += 1;
        ended.ringSeconds += (event.at.getTime() - (placedAt.get(id) ?? 0)) / 1000;
      }
    }
    if (event.type === 'answered') {
      answered += 1;
      if (await connect(id)) return;
      waiting.push({ carrierCallId: id, answeredAt: event.at.getTime() });
      clock.setTimer(GRACE_MS, async () => {
        const index = waiting.findIndex((call) => call.carrierCallId === id);
        if (index < 0) return;
        waiting.splice(index, 1);
        if (await connect(id)) return;
        abandoned += 1;
        await carrier.hangUp(id);
      });
      return;
    }
    if (event.type !== 'hangup') return;
    const agent = onCall.get(id);
    if (!agent) {
      // The person hung up on silence before the grace ran out: abandoned too.
      const index = waiting.findIndex((call) => call.carrierCallId === id);
      if (index >= 0) {
        waiting.splice(index, 1);
        abandoned += 1;
      }
      return;
    }
    onCall.delete(id);
    ended.talkSeconds += (event.at.getTime() - agent.since) / 1000;
    ended.talks += 1;
    setState(agent, 'wrap_up');
    const wrapSeconds = carrier.sampleWrapupSeconds();
    clock.setTimer(Math.round(wrapSeconds * 1000), async () => {
      ended.wraps += 1;
      ended.wrapSeconds += wrapSeconds;
      setState(agent, 'ready');
      await serveWaiting();
    });
  };
  carrier.onEvent(onEvent);

  const tickMs = options.tickMs ?? 1_000;
  const endAt = clock.now().getTime() + options.hours * 3_600_000;
  while (clock.now().getTime() < endAt) {
    await clock.advanceAsync(tickMs);
    await serveWaiting();
    const now = clock.now().getTime();
    const stats: PacingStats = {
      mode: options.mode,
      loggedInAgents: agents.length,
      readyAgents: agents.filter((agent) => agent.state === 'ready').length,
      agentsSoonFree: 0,
      callsRinging: ringing.size,
      callsAwaitingAgent: waiting.length,
      answerRate: ended.dials > 0 ? ended.persons / ended.dials : 0,
      answerRateSamples: ended.dials,
      meanRingSeconds: ended.persons > 0 ? ended.ringSeconds / ended.persons : 15,
      meanTalkSeconds: ended.talks > 0 ? ended.talkSeconds / ended.talks : 180,
      meanWrapupSeconds: ended.wraps > 0 ? ended.wrapSeconds / ended.wraps : 15,
      abandoned30d: history.abandoned + abandoned,
      answered30d: history.answered + answered,
      // The simulated day is the last 24 hours; the history is older.
      abandoned24h: abandoned,
      answered24h: answered,
      maxAbandonRate: options.maxAbandonRate ?? 0.03,
    };
    const busy = agents
      .filter((agent) => agent.state !== 'ready')
      .map((agent) => ({
        state: agent.state as 'on_call' | 'wrap_up',
        elapsedSeconds: (now - agent.since) / 1000,
      }));
    stats.agentsSoonFree = agentsFreeWithin(busy, horizonSeconds(stats), stats);
    const decision = callsToPlace(stats, options.tuning ?? defaultPacingTuning);
    for (let index = 0; index < decision.callsToPlace; index += 1) {
      const { carrierCallId } = await carrier.place({
        accountId: 1,
        attemptId: carrier.counters.placed + 1,
        to: `3361${String(carrier.counters.placed).padStart(7, '0')}`,
        record: false,
        detectMachine: detectsMachines(options.mode),
      });
      ringing.add(carrierCallId);
      placedAt.set(carrierCallId, now);
    }
  }
  for (const agent of agents) setState(agent, agent.state);
  const agentHours = options.agents * options.hours || 1;
  return {
    mode: options.mode,
    placed: carrier.counters.placed,
    answered,
    abandoned,
    abandonRate: answered > 0 ? abandoned / answered : 0,
    talkMinutesPerAgentHour: carrier.counters.talkSeconds / 60 / agentHours,
    callsPerHour: carrier.counters.placed / options.hours,
    idleShare: idleMs / (agentHours * 3_600_000),
  };
}
