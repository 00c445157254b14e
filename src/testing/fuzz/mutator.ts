import type { Rng } from './prng.js';
import type { Credentials, FuzzRequest } from './types.js';

/** One way to break a valid request. Each returns a new request; its name labels findings. */
export interface Mutator {
  name: string;
  weight: number;
  apply(request: FuzzRequest, rng: Rng, credentials: Credentials): FuzzRequest;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
