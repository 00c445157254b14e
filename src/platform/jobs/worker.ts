import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { JOBS_CHANNEL } from './enqueue.js';
import type { JobRegistry } from './job-registry.js';
import { runClaimedJob, type JobOutcome, type RunnerDeps } from './job-runner.js';
import { claimJobs, type ClaimedJob } from './job-store.js';

export { PermanentJobError, RetryLaterError } from './job-errors.js';
export type { JobOutcome } from './job-runner.js';

export interface JobWorkerOptions {
  database: Database;
  registry: JobRegistry;
  logger: Logger;
  /** Queues to claim from; default: every queue a registered job uses. */
  queues?: string[];
  /** Jobs run at the same time; default 4. */
  concurrency?: number;
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
  private readonly queues: string[];
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly logger: Logger;
  // A Set, not a Map by job id: after a lease loss this worker may hold the same job twice.
  private readonly inFlight = new Set<InFlight>();
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeRequested = false;
  private interruptSleep: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly options: JobWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.logger = options.logger.child({ component: 'job-worker', workerId: this.workerId });
    this.deps = { ...options, logger: this.logger, leaseMs: options.leaseMs ?? 60_000 };
    this.queues = options.queues ?? options.registry.queues();
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pollMs = options.pollMs ?? 1000;
  }

  /** Subscribes to notifications and starts the claim loop. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.unlisten = await this.options.database.listen(JOBS_CHANNEL, (queue) => {
        if (this.queues.includes(queue)) this.wake();
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'LISTEN failed; relying on polling');
    }
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
  }

  /** Polls now instead of at the next interval. */
  wake(): void {
    this.wakeRequested = true;
    this.interruptSleep?.();
  }

  /** Claims what is due (up to the free slots), runs it to the end; returns how many jobs ran. */
  async runOnce(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((job) => this.launch(job)));
    return claimed.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        for (const job of await this.claim()) void this.launch(job);
      } catch (error) {
        this.logger.error({ err: error }, 'claiming jobs failed');
      }
      // stop() wakes this sleep, so the loop ends promptly.
      await this.sleep(this.pollMs);
    }
  }

  private async claim(): Promise<ClaimedJob[]> {
    return claimJobs(this.options.database.db, {
      queues: this.queues,
      names: this.options.registry.names(),
      limit: this.concurrency - this.inFlight.size,
      workerId: this.workerId,
      leaseMs: this.deps.leaseMs,
    });
  }

  /** Runs a job in the background; the returned promise never rejects. */
  private launch(job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    const started = performance.now();
    const entry: InFlight = { controller, done: Promise.resolve() };
    entry.done = runClaimedJob(this.deps, job, controller)
      .then((result) => {
        if (result !== 'lost') this.report(job.name, result, performance.now() - started);
      })
      .finally(() => {
        this.inFlight.delete(entry);
        // A slot is free: look for more work now rather than at the next poll.
        this.wake();
      });
    this.inFlight.add(entry);
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
