/**
 * How many calls the dialer places now — pure functions, no database, no clock. The engine gathers
 * the live stats of one campaign (its agents, its ringing calls, its measured rates, its 30-day
 * abandonment) and records the returned decision (with `details`) in `dialer_decisions`.
 *
 * Predictive pacing, in short: calls placed now reach a person after about one ring time, so the
 * agents who can take them are the ready ones plus those expected to free up within that horizon.
 * With N calls in flight, each answered by a person with probability p, the answers X follow a
 * binomial law; E[max(0, X − A)] of them find no agent among A available ones and are abandoned.
 * We place the largest N whose expected abandon share E[max(0, X − A)] / E[X] stays under a target,
 * and a control loop lowers that target as the campaign's rolling 30-day abandonment rate nears the
 * cap — down to zero, where predictive is exactly progressive (never more calls than agents).
 */
import type { DialingMode } from '../campaigns/campaigns.tables.js';

/**
 * Whether a mode asks the carrier to detect answering machines. Predictive does as well as the two
 * machine modes: an undetected machine is a call put through to an agent for nothing (and, with
 * every agent busy, an abandoned "answer"), which costs predictive the talk time it dials for.
 */
export function detectsMachines(mode: DialingMode): boolean {
  return mode === 'automatic' || mode === 'amd_progressive' || mode === 'predictive';
}

/** The live picture of one campaign the pacing decides on. Times in seconds. */
export interface PacingStats {
  mode: DialingMode;
  /** Agents logged into the campaign (any state but paused). 0 → nothing is dialled. */
  loggedInAgents: number;
  /** Agents ready and not reserved for a call: they can take an answered call right now. */
  readyAgents: number;
  /**
   * Busy agents (talking or wrapping up) expected to be free within `horizonSeconds(stats)` —
   * see `agentsFreeWithin`. Only predictive uses it.
   */
  agentsSoonFree: number;
  /** Calls placed and not yet answered or ended. */
  callsRinging: number;
  /** Calls answered by a person and waiting for an agent (each will take the next free agent). */
  callsAwaitingAgent: number;
  /** Person-answered share of recent dials (0..1), and how many dials it was measured over. */
  answerRate: number;
  answerRateSamples: number;
  /** Mean time from dial to a person's answer. */
  meanRingSeconds: number;
  meanTalkSeconds: number;
  meanWrapupSeconds: number;
  /** Abandoned and person-answered calls of this campaign over the rolling 30 days. */
  abandoned30d: number;
  answered30d: number;
  /** The same over the last 24 hours (part of the 30 days): what the control loop reacts to. */
  abandoned24h: number;
  answered24h: number;
  /** campaign.maxAbandonRate (0.03). */
  maxAbandonRate: number;
}

export type PacingReason =
  | 'agent_driven'
  | 'no_agents'
  | 'one_per_free_agent'
  | 'predictive'
  | 'predictive_throttled'
  | 'predictive_learning'
  | 'abandon_cap_reached';

export interface PacingDecision {
  callsToPlace: number;
  reason: PacingReason;
  /** The numbers behind the decision, for the audit trail. */
  details: Record<string, number>;
}

/** Tunables; the defaults are what the bench and the engine use. */
export interface PacingTuning {
  /** Share of the cap the per-decision abandon target may use when the 30-day rate is low. */
  targetShareOfCap: number;
  /** The 30-day rate (as a share of the cap) from which the target shrinks linearly… */
  throttleFromShareOfCap: number;
  /** …to zero (pure progressive) at this share of the cap. */
  throttleToShareOfCap: number;
  /** Below this many measured dials predictive assumes a cautious (high) answer rate. */
  minAnswerRateSamples: number;
  /**
   * The abandon target ramps from 0 to full over the first this-many answered calls of the 30-day
   * window: with few answers one abandoned call alone breaks the 3% cap, so a new campaign starts
   * as progressive and over-dials only once the denominator can absorb the odd abandon.
   */
  rampAnswers: number;
  /** Never more lines in flight than this many per logged-in agent. */
  maxLinesPerAgent: number;
  /** An answered call may wait this long for an agent before it counts as abandoned. */
  graceSeconds: number;
}

export const defaultPacingTuning: PacingTuning = {
  targetShareOfCap: 0.6,
  throttleFromShareOfCap: 0.45,
  throttleToShareOfCap: 0.9,
  minAnswerRateSamples: 30,
  rampAnswers: 200,
  maxLinesPerAgent: 4,
  graceSeconds: 2,
};

/** The decision for one campaign now. */
export function callsToPlace(stats: PacingStats, tuning: PacingTuning = defaultPacingTuning): PacingDecision {
  if (stats.mode === 'preview') return { callsToPlace: 0, reason: 'agent_driven', details: {} };
  if (stats.loggedInAgents <= 0) return { callsToPlace: 0, reason: 'no_agents', details: {} };
  const freeNow = stats.readyAgents - stats.callsRinging - stats.callsAwaitingAgent;
  if (stats.mode !== 'predictive') {
    return {
      callsToPlace: Math.max(0, freeNow),
      reason: 'one_per_free_agent',
      details: { readyAgents: stats.readyAgents, callsRinging: stats.callsRinging },
    };
  }
  return predictive(stats, tuning);
}

function predictive(stats: PacingStats, tuning: PacingTuning): PacingDecision {
  const rate30d = stats.answered30d > 0 ? stats.abandoned30d / stats.answered30d : 0;
  const rate24h = recentAbandonRate(stats, tuning);
  const ramp = tuning.rampAnswers > 0 ? Math.min(1, stats.answered30d / tuning.rampAnswers) : 1;
  const target = abandonTarget(Math.max(rate30d, rate24h), stats.maxAbandonRate, tuning) * ramp;
  const learning = stats.answerRateSamples < tuning.minAnswerRateSamples || ramp < 1;
  const answerRate = cautiousAnswerRate(stats.answerRate, stats.answerRateSamples, tuning);
  // Answered calls already waiting take the first agents; the rest is what new answers can reach.
  const available = Math.max(0, stats.readyAgents + stats.agentsSoonFree - stats.callsAwaitingAgent);
  const maxInFlight = Math.floor(stats.loggedInAgents * tuning.maxLinesPerAgent);
  // Never fewer than progressive would place: a call per ready agent cannot be abandoned.
  const floor = Math.max(0, stats.readyAgents - stats.callsAwaitingAgent);
  let inFlight = Math.max(stats.callsRinging, Math.min(floor, maxInFlight));
  if (target > 0) {
    while (inFlight < maxInFlight && expectedAbandonShare(inFlight + 1, answerRate, available) <= target) {
      inFlight += 1;
    }
  }
  const placed = Math.max(0, inFlight - stats.callsRinging);
  const reason: PacingReason =
    target === 0 && ramp === 1
      ? 'abandon_cap_reached'
      : learning
        ? 'predictive_learning'
        : target < stats.maxAbandonRate * tuning.targetShareOfCap
          ? 'predictive_throttled'
          : 'predictive';
  return {
    callsToPlace: placed,
    reason,
    details: {
      readyAgents: stats.readyAgents,
      agentsSoonFree: stats.agentsSoonFree,
      callsRinging: stats.callsRinging,
      callsAwaitingAgent: stats.callsAwaitingAgent,
      answerRate,
      abandonRate30d: rate30d,
      abandonRate24h: rate24h,
      abandonTarget: target,
      expectedAbandonShare: expectedAbandonShare(inFlight, answerRate, available),
    },
  };
}

/**
 * The last 24 hours' abandonment, over at least `rampAnswers` answered calls (fewer would make one
 * abandon look like a flood). The control loop steers on the worse of it and the 30-day rate: a
 * month of calls dilutes today's over-dialling, so on the 30-day rate alone the loop reacted only
 * once today's rate was far over the cap (a campaign with history abandoned 5 % of the day's
 * answers while its 30-day figure still read 2 %). Holding the day under the cap holds the month.
 */
export function recentAbandonRate(
  stats: Pick<PacingStats, 'abandoned24h' | 'answered24h'>,
  tuning: PacingTuning = defaultPacingTuning,
): number {
  return stats.abandoned24h / Math.max(1, tuning.rampAnswers, stats.answered24h);
}

/**
 * The abandon share a decision may aim at: `targetShareOfCap` of the cap while the 30-day rate is
 * low, shrinking linearly to 0 as the rate climbs from `throttleFrom` to `throttleTo` of the cap.
 */
export function abandonTarget(rate30d: number, cap: number, tuning: PacingTuning = defaultPacingTuning) {
  if (cap <= 0) return 0;
  const share = rate30d / cap;
  const full = cap * tuning.targetShareOfCap;
  if (share <= tuning.throttleFromShareOfCap) return full;
  if (share >= tuning.throttleToShareOfCap) return 0;
  const span = tuning.throttleToShareOfCap - tuning.throttleFromShareOfCap;
  return full * ((tuning.throttleToShareOfCap - share) / span);
}

/**
 * An upper estimate of the answer rate: overestimating it places fewer calls, the safe side. With
 * few samples it leans on a cautious prior (0.5, worth `minAnswerRateSamples` dials).
 */
export function cautiousAnswerRate(
  measured: number,
  samples: number,
  tuning: PacingTuning = defaultPacingTuning,
): number {
  const prior = 0.5;
  const weight = tuning.minAnswerRateSamples;
  const blended = (measured * samples + prior * weight) / (samples + weight);
  const spread = Math.sqrt((blended * (1 - blended)) / (samples + weight));
  return Math.min(1, Math.max(0.01, blended + spread));
}

/** E[max(0, X − agents)] / E[X] for X ~ Binomial(calls, p): the share of answers finding no agent. */
export function expectedAbandonShare(calls: number, p: number, agents: number): number {
  if (calls <= 0 || p <= 0) return 0;
  const seats = Math.floor(agents);
  if (calls <= seats) return 0;
  let probability = Math.pow(1 - p, calls); // P(X = 0)
  let excess = 0;
  const odds = p / (1 - p);
  for (let answered = 1; answered <= calls; answered += 1) {
    probability =
      p >= 1 ? (answered === calls ? 1 : 0) : (probability * (calls - answered + 1) * odds) / answered;
    if (answered > seats) excess += (answered - seats) * probability;
  }
  return excess / (calls * p);
}

/** One busy agent as the engine sees it: what they do and for how long they have been doing it. */
export interface BusyAgent {
  state: 'on_call' | 'wrap_up';
  elapsedSeconds: number;
}

/** Recent durations (seconds) the engine measured: talks of connected calls, and wrap-ups. */
export interface DurationSamples {
  talkSeconds: readonly number[];
  wrapupSeconds: readonly number[];
}

/**
 * How many busy agents should be free within `horizonSeconds`. With `samples`, what is left of a
 * talk or wrap-up already `elapsed` long is its mean residual over the samples longer than that
 * (talks are long-tailed: a call past the mean talk time is not about to end, it is a long one);
 * a talking agent still has a wrap-up after it. Without samples, the mean minus the elapsed time. A deterministic estimate; the abandon target leaves room for its error.
 */
export function agentsFreeWithin(
  agents: readonly BusyAgent[],
  horizonSeconds: number,
  means: { meanTalkSeconds: number; meanWrapupSeconds: number },
  samples?: DurationSamples,
): number {
  let count = 0;
  for (const agent of agents) {
    const remaining =
      agent.state === 'on_call'
        ? residual(samples?.talkSeconds, means.meanTalkSeconds, agent.elapsedSeconds) +
          means.meanWrapupSeconds
        : residual(samples?.wrapupSeconds, means.meanWrapupSeconds, agent.elapsedSeconds);
    if (remaining <= horizonSeconds) count += 1;
  }
  return count;
}

/**
 * E[D − elapsed | D > elapsed] over the samples; max(0, mean − elapsed) without samples; the mean
 * when none is longer (a duration past every sample is in the tail: the safe side is "not soon").
 */
export function residual(samples: readonly number[] | undefined, mean: number, elapsed: number): number {
  if (!samples || samples.length === 0) return Math.max(0, mean - elapsed);
  let longer = 0;
  let sum = 0;
  for (const value of samples) {
    if (value > elapsed) {
      longer += 1;
      sum += value - elapsed;
    }
  }
  return longer > 0 ? sum / longer : mean;
}

/** The look-ahead for `agentsSoonFree`: a new call reaches a person after about one ring time. */
export function horizonSeconds(
  stats: Pick<PacingStats, 'meanRingSeconds'>,
  tuning: PacingTuning = defaultPacingTuning,
): number {
  return stats.meanRingSeconds + tuning.graceSeconds;
}
