import { describe, expect, it } from 'vitest';
import { runPacingModel } from './pacing-model.js';
import {
  abandonTarget,
  agentsFreeWithin,
  callsToPlace,
  cautiousAnswerRate,
  expectedAbandonShare,
  residual,
  type PacingStats,
} from './pacing.js';

const base: PacingStats = {
  mode: 'progressive',
  loggedInAgents: 10,
  readyAgents: 4,
  agentsSoonFree: 2,
  callsRinging: 1,
  callsAwaitingAgent: 0,
  answerRate: 0.3,
  answerRateSamples: 500,
  meanRingSeconds: 12,
  meanTalkSeconds: 180,
  meanWrapupSeconds: 15,
  abandoned30d: 0,
  answered30d: 1000,
  abandoned24h: 0,
  answered24h: 300,
  maxAbandonRate: 0.03,
};

describe('callsToPlace', () => {
  it('places nothing in preview: the agent drives', () => {
    expect(callsToPlace({ ...base, mode: 'preview' })).toMatchObject({
      callsToPlace: 0,
      reason: 'agent_driven',
    });
  });

  it('places nothing when no agent is logged in, in every mode', () => {
    for (const mode of ['progressive', 'predictive', 'automatic', 'amd_progressive'] as const) {
      const stats = { ...base, mode, loggedInAgents: 0, readyAgents: 0, agentsSoonFree: 0, callsRinging: 0 };
      expect(callsToPlace(stats).callsToPlace).toBe(0);
    }
  });

  it('places one call per free agent (minus those ringing) in progressive, automatic and amd_progressive', () => {
    for (const mode of ['progressive', 'automatic', 'amd_progressive'] as const) {
      expect(callsToPlace({ ...base, mode }).callsToPlace).toBe(3);
      expect(callsToPlace({ ...base, mode, callsRinging: 6 }).callsToPlace).toBe(0);
      expect(callsToPlace({ ...base, mode, callsAwaitingAgent: 2 }).callsToPlace).toBe(1);
    }
  });

  it('over-dials in predictive when the answer rate is low, more than progressive', () => {
    const progressive = callsToPlace(base).callsToPlace;
    const predictive = callsToPlace({ ...base, mode: 'predictive' });
    expect(predictive.reason).toBe('predictive');
    expect(predictive.callsToPlace).toBeGreaterThan(progressive * 2);
    // A high answer rate leaves little room to over-dial.
    const eager = callsToPlace({ ...base, mode: 'predictive', answerRate: 0.95 }).callsToPlace;
    expect(eager).toBeLessThan(predictive.callsToPlace);
  });

  it('falls back to one call per ready agent when the 30-day rate nears the cap', () => {
    const stats = { ...base, mode: 'predictive' as const, abandoned30d: 28, answered30d: 1000 };
    const decision = callsToPlace(stats);
    expect(decision.reason).toBe('abandon_cap_reached');
    expect(decision.callsToPlace).toBe(3);
    const half = callsToPlace({ ...stats, abandoned30d: 20 });
    expect(half.reason).toBe('predictive_throttled');
    expect(half.callsToPlace).toBeLessThan(callsToPlace({ ...stats, abandoned30d: 0 }).callsToPlace);
  });

  it('throttles on the last 24 hours when a month of calls dilutes the 30-day rate', () => {
    const predictive = { ...base, mode: 'predictive' as const };
    const calm = callsToPlace({ ...predictive, abandoned30d: 20, answered30d: 3_000 });
    expect(calm.reason).toBe('predictive');
    // Same 30 days (0.67 %), but all 20 abandons came today, over 500 answers: 4 % today.
    const today = callsToPlace({
      ...predictive,
      abandoned30d: 20,
      answered30d: 3_000,
      abandoned24h: 20,
      answered24h: 500,
    });
    expect(today).toMatchObject({ reason: 'abandon_cap_reached', callsToPlace: 3 });
    expect(today.callsToPlace).toBeLessThan(calm.callsToPlace);
    // A few answers today cannot make one abandon look like a flood: counted over at least 200.
    const early = callsToPlace({ ...predictive, abandoned24h: 1, answered24h: 10 });
    expect(early.details.abandonRate24h).toBeCloseTo(1 / 200, 10);
    expect(early.reason).toBe('predictive');
  });

  it('starts a new campaign as progressive and ramps over-dialling with the answered calls', () => {
    const fresh = callsToPlace({ ...base, mode: 'predictive', answered30d: 0 });
    expect(fresh).toMatchObject({ callsToPlace: 3, reason: 'predictive_learning' });
    const half = callsToPlace({ ...base, mode: 'predictive', answered30d: 100 }).callsToPlace;
    expect(half).toBeGreaterThan(3);
    expect(half).toBeLessThanOrEqual(callsToPlace({ ...base, mode: 'predictive' }).callsToPlace);
  });

  it('is cautious while the answer rate is still being learned', () => {
    const learning = callsToPlace({ ...base, mode: 'predictive', answerRateSamples: 0, answerRate: 0 });
    expect(learning.reason).toBe('predictive_learning');
    expect(learning.callsToPlace).toBeLessThan(callsToPlace({ ...base, mode: 'predictive' }).callsToPlace);
    expect(learning.callsToPlace).toBeGreaterThanOrEqual(3);
  });

  it('never exceeds the lines-per-agent ceiling', () => {
    const decision = callsToPlace({ ...base, mode: 'predictive', answerRate: 0.02, readyAgents: 10 });
    expect(decision.callsToPlace + base.callsRinging).toBeLessThanOrEqual(40);
  });
});

describe('pacing math', () => {
  it('computes the binomial abandon share', () => {
    expect(expectedAbandonShare(3, 0.5, 3)).toBe(0);
    // 2 calls, 1 agent, p = 0.5: both answer with probability 1/4, one of the 1 expected answers is lost.
    expect(expectedAbandonShare(2, 0.5, 1)).toBeCloseTo(0.25 / 1, 10);
    expect(expectedAbandonShare(10, 0.3, 3)).toBeGreaterThan(expectedAbandonShare(9, 0.3, 3));
  });

  it('shrinks the target to zero as the 30-day rate climbs to 90% of the cap', () => {
    expect(abandonTarget(0, 0.03)).toBeCloseTo(0.018, 10);
    expect(abandonTarget(0.02, 0.03)).toBeLessThan(0.018);
    expect(abandonTarget(0.027, 0.03)).toBe(0);
    expect(abandonTarget(0.05, 0.03)).toBe(0);
  });

  it('overestimates the answer rate when samples are few (the safe side)', () => {
    expect(cautiousAnswerRate(0.3, 0)).toBeGreaterThan(0.5);
    expect(cautiousAnswerRate(0.3, 10_000)).toBeGreaterThan(0.3);
    expect(cautiousAnswerRate(0.3, 10_000)).toBeLessThan(0.31);
  });

  it('counts busy agents expected to free within the horizon', () => {
    const means = { meanTalkSeconds: 180, meanWrapupSeconds: 15 };
    const agents = [
      { state: 'wrap_up' as const, elapsedSeconds: 10 },
      { state: 'on_call' as const, elapsedSeconds: 30 },
      { state: 'on_call' as const, elapsedSeconds: 179 },
    ];
    expect(agentsFreeWithin(agents, 17, means)).toBe(2);
  });

  it('reads what is left of a call from the measured talk times: a call past the mean is a long one', () => {
    const means = { meanTalkSeconds: 100, meanWrapupSeconds: 10 };
    const onCall = [{ state: 'on_call' as const, elapsedSeconds: 150 }];
    // Mean minus elapsed: 0 s of talk left, free after the 10 s wrap-up.
    expect(agentsFreeWithin(onCall, 15, means)).toBe(1);
    // The calls that lasted over 150 s lasted 300 and 400: 200 s left on average.
    const samples = { talkSeconds: [30, 40, 50, 60, 300, 400], wrapupSeconds: [5, 10, 15] };
    expect(residual(samples.talkSeconds, 100, 150)).toBe(200);
    expect(agentsFreeWithin(onCall, 15, means, samples)).toBe(0);
    // A wrap-up 8 s in: the 10 and 15 s ones have 4.5 s left on average.
    expect(agentsFreeWithin([{ state: 'wrap_up', elapsedSeconds: 8 }], 5, means, samples)).toBe(1);
    // Past every sample: the tail, not "about to end".
    expect(residual(samples.talkSeconds, 100, 500)).toBe(100);
  });
});

describe('the pure model over simulated hours', () => {
  it('keeps predictive abandonment under the cap while beating progressive talk time', async () => {
    const common = { agents: 20, hours: 2, seed: 7 };
    const progressive = await runPacingModel({ ...common, mode: 'progressive' });
    const predictive = await runPacingModel({ ...common, mode: 'predictive' });
    expect(progressive.abandoned).toBe(0);
    expect(predictive.abandonRate).toBeLessThanOrEqual(0.03);
    expect(predictive.talkMinutesPerAgentHour).toBeGreaterThan(progressive.talkMinutesPerAgentHour * 1.15);
    expect(predictive.callsPerHour).toBeGreaterThan(progressive.callsPerHour);
    expect(predictive.idleShare).toBeLessThan(progressive.idleShare);
  }, 60_000);

  it('holds the cap when the campaign starts right at it', async () => {
    const result = await runPacingModel({
      agents: 10,
      hours: 1,
      seed: 11,
      mode: 'predictive',
      history: { abandoned: 29, answered: 1000 },
    });
    const rate = (29 + result.abandoned) / (1000 + result.answered);
    expect(rate).toBeLessThanOrEqual(0.03);
  }, 60_000);

  it('is deterministic for a seed', async () => {
    const run = () => runPacingModel({ agents: 5, hours: 0.5, seed: 3, mode: 'predictive' });
    expect(await run()).toEqual(await run());
  }, 60_000);
});
