import type { JobRegistry } from './job-registry.js';

/**
 * A share of a worker's capacity with its own slots. Webhook delivery (I/O bound, many slots) and
 * call processing (CPU bound, few slots) get separate pools, so a full one never blocks the other.
 */
export interface WorkerPoolSpec {
  name: string;
  /** Queues this pool claims from; omitted: every registered queue no other pool names. */
  queues?: readonly string[];
  /** Jobs of this pool running at the same time. */
  concurrency: number;
}

/** Accounts a pool served lately, least recent first: claims put them last among equals. */
export class RecentAccounts {
  private readonly order: number[] = [];

  constructor(private readonly capacity = 64) {}

  served(accountId: number | null): void {
    const key = accountId ?? 0;
    const index = this.order.indexOf(key);
    if (index >= 0) this.order.splice(index, 1);
    this.order.push(key);
    if (this.order.length > this.capacity) this.order.shift();
  }

  list(): readonly number[] {
    return this.order;
  }
}

export interface WorkerPool {
  name: string;
  queues: string[];
  concurrency: number;
  running: number;
  recent: RecentAccounts;
}

export function resolvePools(specs: readonly WorkerPoolSpec[], registry: JobRegistry): WorkerPool[] {
  const named = new Set(specs.flatMap((spec) => spec.queues ?? []));
  const rest = registry.queues().filter((queue) => !named.has(queue));
  return specs.map((spec) => ({
    name: spec.name,
    queues: [...(spec.queues ?? rest)],
    concurrency: Math.max(1, spec.concurrency),
    running: 0,
    recent: new RecentAccounts(),
  }));
}
