/** A seeded pseudo-random source and the time distributions the carrier simulator draws from. */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A duration in seconds: fixed, uniform, or log-normal (long right tail, like real talk times). */
export type Duration =
  | { kind: 'fixed'; seconds: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'lognormal'; mean: number; sd: number; min?: number; max?: number };

export function sampleDuration(duration: Duration, random: () => number): number {
  switch (duration.kind) {
    case 'fixed':
      return duration.seconds;
    case 'uniform':
      return duration.min + (duration.max - duration.min) * random();
    case 'lognormal': {
      // Parameters of the underlying normal from the wanted mean and standard deviation.
      const variance = Math.log(1 + (duration.sd * duration.sd) / (duration.mean * duration.mean));
      const mu = Math.log(duration.mean) - variance / 2;
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const value = Math.exp(mu + Math.sqrt(variance) * normal);
      return Math.min(duration.max ?? Infinity, Math.max(duration.min ?? 0, value));
    }
  }
}

/** The mean of a distribution (before clamping), for pacing's priors and reports. */
export function meanDuration(duration: Duration): number {
  switch (duration.kind) {
    case 'fixed':
      return duration.seconds;
    case 'uniform':
      return (duration.min + duration.max) / 2;
    case 'lognormal':
      return duration.mean;
  }
}

/** Picks a key with probability proportional to its weight. */
export function pickWeighted<K extends string>(weights: Record<K, number>, random: () => number): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + Math.max(0, weight), 0);
  let point = random() * total;
  for (const [key, weight] of entries) {
    point -= Math.max(0, weight);
    if (point < 0) return key;
  }
  const last = entries.at(-1);
  if (last === undefined) throw new Error('pickWeighted needs at least one weight');
  return last[0];
}
