import type { AbortCause } from './outbound-error.js';

/**
 * One abort signal for a whole outbound call: every hop, DNS, connect, headers and body share
 * a single budget, so a slow redirect chain or a trickling body cannot stretch a call past
 * `timeoutMs`. It also remembers why it fired, because undici reports timeouts and caller
 * aborts with the same abort errors.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #external: AbortSignal | undefined;
  readonly #onExternalAbort = (): void => {
    this.#fire('aborted');
  };
  #cause: AbortCause;

  constructor(timeoutMs: number, external?: AbortSignal) {
    this.#timer = setTimeout(() => {
      this.#fire('timeout');
    }, timeoutMs);
    this.#external = external;
    if (external?.aborted) this.#fire('aborted');
    else external?.addEventListener('abort', this.#onExternalAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get cause(): AbortCause {
    return this.#cause;
  }

  /** Stops the clock; must run once the call settles so timers and listeners do not leak. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#external?.removeEventListener('abort', this.#onExternalAbort);
  }

  #fire(cause: 'timeout' | 'aborted'): void {
    if (this.#cause !== undefined) return;
    this.#cause = cause;
    this.dispose();
    this.#controller.abort(this.#external?.aborted ? this.#external.reason : new Error(`outbound ${cause}`));
  }
}
