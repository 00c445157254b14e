import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { JOBS_CHANNEL } from './enqueue.js';
import type { JobRegistry } from './job-registry.js';
import { runClaimedJob, type JobOutcome, type RunnerDeps } from './job-runner.js';
import { claimJobs, queuesWithWork } from './claim-jobs.js';
import { expireLeases, findLeaseHolders, type ClaimedJob } from './job-store.js';
import { isDeadIncarnation } from './node-identity.js';
import { resolvePools, type WorkerPool, type WorkerPoolSpec } from './worker-pools.js';

/** After aborting, how long handlers get to record their own retry before their leases are expired. */
const ABORT_SETTLE_MS = 500;

export { PermanentJobError, RetryLaterError } from './job-errors.js';
export type { JobOutcome } from './job-runner.js';
export type { WorkerPoolSpec } from './worker-pools.js';

export interface JobWorkerOptions {
  database: Database;
  registry: JobRegistry;
  logger: Logger;
  /** Queues to claim from; default: every queue a registered job uses. Ignored with `pools`. */
  queues?: string[];
  /** Jobs run at the same time; default 4. Ignored with `pools`. */
  concurrency?: number;
  /** Separate slot pools (e.g. webhooks, calls, the rest); default: one pool of `queues`/`concurrency`. */
  pools?: WorkerPoolSpec[];
  /**
   * This node's stable id (see node-identity.ts). With it, worker ids are `<nodeId>:<pid>:<random>`
   * and start() first frees the leases this node's dead previous process still holds.
   */
  nodeId?: string;
  /** Poll interval when idle, a safety net for missed notifications; default 1000. */
  pollMs?: number;
  /** How long a claim holds without a heartbeat; default 60 s. */
  leaseMs?: number;
  workerId?: string;
  onOutcome?: (name: string, outcome: JobOutcome, durationMs: number) => void;
}

interface InFlight {
  controller: AbortController;
  done: Promise<void>;
}

export class JobWorker {
  readonly workerId: string;
  private readonly deps: RunnerDeps;
  private readonly pools: WorkerPool[];
  private readonly pollMs: number;
  private readonly logger: Logger;
  // A Set, not a Map by job id: after a lease loss this worker may hold the same job twice.
  private readonly inFlight = new Set<InFlight>();
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeRequested = false;
  /**
   * Pools to claim for on the next turn. A notification or a freed slot names its pool, so it
   * costs one claim instead of one per pool; the poll adds every pool that has work waiting.
   */
  private readonly due = new Set<WorkerPool>();
  private interruptSleep: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: JobWorkerOptions) {
    const node = options.nodeId ?? hostname();
    this.workerId = options.workerId ?? `${node}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.logger = options.logger.child({ component: 'job-worker', workerId: this.workerId });
    this.deps = { ...options, logger: this.logger, leaseMs: options.leaseMs ?? 60_000 };
    const pools = options.pools ?? [
      {
        name: 'default',
        queues: options.queues ?? options.registry.queues(),
        concurrency: options.concurrency ?? 4,
      },
    ];
    this.pools = resolvePools(pools, options.registry);
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Subscribes to notifications and starts the claim loop. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.unlisten = await this.options.database.listen(JOBS_CHANNEL, (queue) => {
        for (const pool of this.pools) if (pool.queues.includes(queue)) this.wake(pool);
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'LISTEN failed; relying on polling');
    }
    await this.reclaimDeadLeases();
    this.loopDone = this.loop();
  }

  /**
   * Stops claiming, waits up to timeoutMs for running handlers, then aborts their signals and
   * leaves them: their leases expire and another worker retries those jobs.
   */
  async stop({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    this.loopDone = undefined;
    await this.unlisten?.().catch((error: unknown) => this.logger.warn({ err: error }, 'UNLISTEN failed'));
    this.unlisten = undefined;
    if (await this.waitForInFlight(timeoutMs)) return;
    this.logger.warn({ jobs: this.inFlight.size }, 'stop timed out; aborting running jobs');
    for (const job of this.inFlight)
      job.controller.abort(new Error('worker stopped before the job finished'));
    // Aborted handlers normally record their retry at once; a handler that ignores its signal
    // would otherwise hold its job until the lease runs out. Expiring this worker's leases hands
    // those jobs to the next claim on any node (their token still fences a late write).
    if (await this.waitForInFlight(ABORT_SETTLE_MS)) return;
    const freed = await expireLeases(this.options.database.db, [this.workerId]).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not release the leases of aborted jobs');
      return 0;
    });
    this.logger.warn({ jobs: freed }, 'released the leases of jobs that did not stop in time');
  }

  /** Claims now instead of at the next interval: for `pool`, or for every pool. */
  wake(pool?: WorkerPool): void {
    for (const woken of pool ? [pool] : this.pools) this.due.add(woken);
    this.wakeRequested = true;
    this.interruptSleep?.();
  }

  /** Claims what is due (up to each pool's free slots), runs it to the end; returns how many jobs ran. */
  async runOnce(): Promise<number> {
    const launched: Promise<void>[] = [];
    for (const pool of this.pools) {
      for (const job of await this.claim(pool)) launched.push(this.launch(pool, job));
    }
    await Promise.all(launched);
    return launched.length;
  }

  private async loop(): Promise<void> {
    let lastPoll = -Infinity;
    while (this.running) {
      // Every pollMs, however busy other pools keep the loop, every pool with work waiting claims:
      // delayed jobs (retries, timers) and notifications missed during a reconnect are found so.
      if (performance.now() - lastPoll >= this.pollMs) {
        lastPoll = performance.now();
        for (const pool of await this.poolsWithWork()) this.due.add(pool);
      }
      const pools = this.pools.filter((pool) => this.due.has(pool));
      this.due.clear();
      // Each pool claims on its own: a pool that fails or is full does not hold up the others.
      for (const pool of pools) {
        try {
          for (const job of await this.claim(pool)) void this.launch(pool, job);
        } catch (error) {
          this.logger.error({ err: error, pool: pool.name }, 'claiming jobs failed');
        }
      }
      // Until the next poll, or a wake; stop() wakes it too, so the loop ends promptly.
      await this.sleep(Math.max(0, lastPoll + this.pollMs - performance.now()));
    }
  }

  /** The pools a poll should claim for: those with free slots and work waiting. */
  private async poolsWithWork(): Promise<WorkerPool[]> {
    const open = this.pools.filter((pool) => pool.running < pool.concurrency);
    try {
      const queues = await queuesWithWork(
        this.options.database.db,
        open.flatMap((pool) => pool.queues),
      );
      return open.filter((pool) => pool.queues.some((queue) => queues.has(queue)));
    } catch (error) {
      this.logger.error({ err: error }, 'looking for due jobs failed; claiming for every pool');
      return open;
    }
  }

  private async claim(pool: WorkerPool): Promise<ClaimedJob[]> {
    const claimed = await claimJobs(this.options.database.db, {
      queues: pool.queues,
      names: this.options.registry.names(),
      limit: pool.concurrency - pool.running,
      workerId: this.workerId,
      leaseMs: this.deps.leaseMs,
      recentAccounts: pool.recent.list(),
    });
    for (const job of claimed) pool.recent.served(job.accountId);
    return claimed;
  }

  /**
   * A node that restarts after a crash knows its previous process is dead: rather than waiting for
   * those leases to run out (up to leaseMs), it expires them now and the next claim takes the jobs
   * over, counting the lost attempt as an expired lease would.
   */
  private async reclaimDeadLeases(): Promise<void> {
    const { nodeId } = this.options;
    if (nodeId === undefined) return;
    try {
      const holders = await findLeaseHolders(this.options.database.db, `${nodeId}:`);
      const dead = holders.filter((holder) => isDeadIncarnation(holder, nodeId, this.workerId));
      const freed = await expireLeases(this.options.database.db, dead);
      if (freed > 0)
        this.logger.warn({ jobs: freed, holders: dead }, 'reclaimed jobs of a dead process of this node');
    } catch (error) {
      this.logger.error({ err: error }, 'reclaiming dead leases failed; they will expire on their own');
    }
  }

  /** Runs a job in the background; the returned promise never rejects. */
  private launch(pool: WorkerPool, job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    const started = performance.now();
    const entry: InFlight = { controller, done: Promise.resolve() };
    entry.done = runClaimedJob(this.deps, job, controller)
      .then((result) => {
        if (result !== 'lost') this.report(job.name, result, performance.now() - started);
      })
      .finally(() => {
        this.inFlight.delete(entry);
        pool.running -= 1;
        // A slot is free: look for more of this pool's work now rather than at the next poll.
        this.wake(pool);
      });
    this.inFlight.add(entry);
    pool.running += 1;
    return entry.done;
  }

  private report(name: string, outcome: JobOutcome, durationMs: number): void {
    try {
      this.options.onOutcome?.(name, outcome, durationMs);
    } catch (error) {
      this.logger.error({ err: error }, 'onOutcome callback threw');
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = done;
    });
  }

  /** True when every in-flight job settled within timeoutMs. */
  private async waitForInFlight(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const settled = Promise.all([...this.inFlight].map((job) => job.done)).then(() => true as const);
    const result = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    return result;
  }
}
