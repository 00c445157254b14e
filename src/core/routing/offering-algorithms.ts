import type { OfferingAlgorithm } from './routing.tables.js';

/** An agent who could take the conversation now (online, a member, under capacity). */
export interface Candidate {
  userId: number;
  /** The member's tier in this queue; lower is better. */
  priority: number;
  idleSince: Date | null;
}

export interface Pick {
  userIds: number[];
  /** The agents offered since the last full cycle, including this pick. */
  tried: number[];
}

const isAllAtOnce = (algorithm: OfferingAlgorithm) => algorithm.endsWith('AllAtOnce');
const isPriorityTiered = (algorithm: OfferingAlgorithm) => algorithm.startsWith('AgentPriority');

function longestIdle(candidates: Candidate[]): Candidate | undefined {
  // Never-routed agents first, then the oldest idle time; the id breaks ties so the order is stable.
  return [...candidates].sort((a, b) => {
    const aTime = a.idleSince?.getTime() ?? -Infinity;
    const bTime = b.idleSince?.getTime() ?? -Infinity;
    return aTime === bTime ? a.userId - b.userId : aTime - bTime;
  })[0];
}

/**
 * Chooses whom to offer to. One-at-a-time algorithms skip agents already tried in this cycle and
 * start a new cycle once everyone eligible was tried; AllAtOnce offers every eligible agent each
 * round. AgentPriority* variants keep only the best tier that has an eligible agent.
 */
export function pickAgents(
  algorithm: OfferingAlgorithm,
  candidates: Candidate[],
  tried: readonly number[],
  random: () => number = Math.random,
): Pick {
  if (candidates.length === 0) return { userIds: [], tried: [...tried] };
  let pool = candidates;
  let cycle = [...tried];
  if (!isAllAtOnce(algorithm)) {
    const untried = candidates.filter((candidate) => !tried.includes(candidate.userId));
    if (untried.length > 0) pool = untried;
    else cycle = [];
  }
  if (isPriorityTiered(algorithm)) {
    const best = Math.min(...pool.map((candidate) => candidate.priority));
    pool = pool.filter((candidate) => candidate.priority === best);
  }
  let chosen: (Candidate | undefined)[];
  if (isAllAtOnce(algorithm)) chosen = pool;
  else if (algorithm.endsWith('LongestIdle')) chosen = [longestIdle(pool)];
  else chosen = [pool[Math.floor(random() * pool.length)]];
  const userIds = chosen.flatMap((candidate) => (candidate ? [candidate.userId] : []));
  return { userIds, tried: [...new Set([...cycle, ...userIds])] };
}
