/**
 * Time for the dialer and the carrier simulator: the real clock in production, a virtual one in
 * tests and the bench, so a simulated 8-hour day runs in seconds of real time.
 */
export type CancelTimer = () => void;

export interface Clock {
  now(): Date;
  /**
   * Runs `fn` at a time (a Date) or after a delay (milliseconds, a number). Returns a function that
   * cancels it (no-op once run).
   */
  setTimer(atOrDelayMs: Date | number, fn: TimerCallback): CancelTimer;
}

/** A timer's work; a returned promise is awaited by `VirtualClock.advanceAsync`, caught by the real clock. */
export type TimerCallback = () => void | Promise<void>;

function delayFrom(now: number, atOrDelayMs: Date | number): number {
  return atOrDelayMs instanceof Date ? atOrDelayMs.getTime() - now : atOrDelayMs;
}

/** Wall-clock time and setTimeout. */
export const realClock: Clock = {
  now: () => new Date(),
  setTimer(atOrDelayMs, fn) {
    const handle = setTimeout(
      () => {
        // A failing timer must not take the process down; its owner reports its own errors.
        void Promise.resolve(fn()).catch(() => undefined);
      },
      Math.max(0, delayFrom(Date.now(), atOrDelayMs)),
    );
    return () => clearTimeout(handle);
  },
};

/**
 * Wall-clock time whose timers do not keep the process alive: a closing app may have calls in
 * flight, and what they were doing is durable (jobs), so nothing should hold the exit.
 */
export const processClock: Clock = {
  now: () => new Date(),
  setTimer(atOrDelayMs, fn) {
    const handle = setTimeout(
      () => void Promise.resolve(fn()).catch(() => undefined),
      Math.max(0, delayFrom(Date.now(), atOrDelayMs)),
    );
    handle.unref();
    return () => clearTimeout(handle);
  },
};

interface VirtualTimer {
  at: number;
  seq: number;
  fn: TimerCallback;
  cancelled: boolean;
}

/**
 * A clock that only moves when told. `advance(ms)` runs the due timers in time order (ties in the
 * order they were set), setting `now` to each timer's time before running it; timers set while
 * advancing run in the same advance when due. Timers run synchronously: a timer that starts async
 * work does not hold the clock — `advanceAsync` awaits each timer's returned promise when there is one.
 */
export class VirtualClock implements Clock {
  private current: number;
  private sequence = 0;
  private timers: VirtualTimer[] = [];

  constructor(start: Date = new Date('2026-01-05T08:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(atOrDelayMs: Date | number, fn: TimerCallback): CancelTimer {
    const timer: VirtualTimer = {
      at: Math.max(this.current, this.current + delayFrom(this.current, atOrDelayMs)),
      seq: this.sequence++,
      fn,
      cancelled: false,
    };
    this.insert(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers still to run (not cancelled). */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** The time of the next timer, if any. */
  nextTimerAt(): Date | undefined {
    const next = this.timers.find((timer) => !timer.cancelled);
    return next ? new Date(next.at) : undefined;
  }

  /** Moves time forward by `ms`, running every timer due by then. */
  advance(ms: number): void {
    const until = this.current + ms;
    for (let timer = this.takeDue(until); timer; timer = this.takeDue(until)) {
      this.current = timer.at;
      void timer.fn();
    }
    this.current = until;
  }

  /** Like `advance`, but awaits a promise a timer returns (its async work) before running the next. */
  async advanceAsync(ms: number): Promise<void> {
    const until = this.current + ms;
    for (let timer = this.takeDue(until); timer; timer = this.takeDue(until)) {
      this.current = timer.at;
      await timer.fn();
    }
    this.current = until;
  }

  /** Moves time to `at` (never backwards), running due timers. */
  advanceTo(at: Date): void {
    this.advance(Math.max(0, at.getTime() - this.current));
  }

  private takeDue(until: number): VirtualTimer | undefined {
    for (;;) {
      const first = this.timers[0];
      if (first === undefined) return undefined;
      if (first.cancelled) {
        this.timers.shift();
        continue;
      }
      if (first.at > until) return undefined;
      this.timers.shift();
      return first;
    }
    return undefined;
  }

  /** Keeps timers sorted by (at, seq); binary search, so thousands of live calls stay cheap. */
  private insert(timer: VirtualTimer): void {
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.timers[middle];
      if (other === undefined) break;
      if (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq)) low = middle + 1;
      else high = middle;
    }
    this.timers.splice(low, 0, timer);
  }
}
