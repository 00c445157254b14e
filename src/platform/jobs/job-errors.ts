/**
 * Thrown by a handler to retry after a specific delay, e.g. an HTTP `Retry-After`.
 * It still counts as an attempt, so a peer that always says "later" ends up dead.
 */
export class RetryLaterError extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, message = `retry requested in ${delayMs} ms`) {
    super(message);
    this.name = 'RetryLaterError';
    this.delayMs = Math.max(0, delayMs);
  }
}

/**
 * Thrown by a handler that could not make its attempt now for a reason outside the job (its
 * endpoint's circuit is open): the job runs again after `delayMs` and this attempt is not counted.
 */
export class DeferJobError extends Error {
  readonly delayMs: number;

  constructor(delayMs: number, message = `deferred for ${delayMs} ms`) {
    super(message);
    this.name = 'DeferJobError';
    this.delayMs = Math.max(0, delayMs);
  }
}

/** Thrown by a handler when retrying cannot help (bad input, gone resource): the job goes straight to dead. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

/** Thrown by `ctx.complete` when this worker no longer holds the job's lease; its transaction rolled back. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: lease lost, another worker owns it now`);
    this.name = 'LeaseLostError';
  }
}

// last_error is for humans reading an admin screen, not an archive of stack traces.
const MAX_ERROR_LENGTH = 2000;

/** The text stored in last_error: the message, prefixed by the class name when it says more than "Error". */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return truncateError(String(error));
  return truncateError(error.name === 'Error' ? error.message : `${error.name}: ${error.message}`);
}

export function truncateError(message: string): string {
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}
