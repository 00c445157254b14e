import type { z } from 'zod';
import type { Db } from '../db/database.js';
import { exponentialBackoff, type BackoffFn } from './backoff.js';

export const DEFAULT_QUEUE = 'default';
export const DEFAULT_MAX_ATTEMPTS = 10;

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: number;
  name: string;
  queue: string;
  accountId: number | null;
  /** This attempt's number, starting at 1. */
  attempts: number;
  maxAttempts: number;
}

export interface JobContext {
  job: JobInfo;
  /** Aborted when the worker stops without waiting any longer, or when this worker lost the lease. */
  signal: AbortSignal;
  /**
   * Runs `fn(tx)` and marks the job completed in ONE transaction, guarded by the lease:
   * if another worker took the job over, it throws LeaseLostError and `fn`'s writes roll back.
   * That is how a handler whose effect is in the database applies it exactly once.
   */
  complete(fn: (tx: Db) => Promise<void>): Promise<void>;
}

/**
 * A job type. TInput is what callers enqueue (the schema's input), TPayload what the handler
 * receives (the schema's output). Methods, not function properties, so that any definition is
 * assignable to the registry's `JobDefinition` (method parameters are bivariant).
 */
export interface JobDefinition<TInput = unknown, TPayload = TInput> {
  readonly name: string;
  readonly queue: string;
  readonly payloadSchema: z.ZodType<TPayload, TInput>;
  readonly maxAttempts: number;
  backoff(attempt: number): number;
  handler(payload: TPayload, ctx: JobContext): Promise<void>;
  /**
   * Runs, in the transaction that marks the job dead, when its last allowed attempt died with its
   * worker (kill -9, lost node) — the one way a job ends without its handler seeing the failure.
   * Modules that track work in their own tables use it to record the end there.
   */
  onAbandoned?(tx: Db, payload: TPayload, reason: string): Promise<void>;
}

export type AnyJobDefinition = JobDefinition<unknown, unknown>;

export interface JobSpec<TSchema extends z.ZodType> {
  name: string;
  queue?: string;
  payloadSchema: TSchema;
  maxAttempts?: number;
  backoff?: BackoffFn;
  handler: (payload: z.output<TSchema>, ctx: JobContext) => Promise<void>;
  onAbandoned?: (tx: Db, payload: z.output<TSchema>, reason: string) => Promise<void>;
}

// Shared default: 1s, 2s, 4s… capped at one hour, fully jittered.
const defaultBackoff = exponentialBackoff();

export function defineJob<TSchema extends z.ZodType>(
  spec: JobSpec<TSchema>,
): JobDefinition<z.input<TSchema>, z.output<TSchema>> {
  if (spec.name.trim() === '') throw new Error('a job needs a name');
  const maxAttempts = spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`job ${spec.name}: maxAttempts must be a positive integer`);
  }
  const backoff = spec.backoff ?? defaultBackoff;
  return {
    name: spec.name,
    queue: spec.queue ?? DEFAULT_QUEUE,
    // TS cannot see through the generic that a TSchema is a ZodType of its own input and output.
    payloadSchema: spec.payloadSchema as z.ZodType<z.output<TSchema>, z.input<TSchema>>,
    maxAttempts,
    backoff: (attempt) => backoff(attempt),
    handler: spec.handler,
    ...(spec.onAbandoned && { onAbandoned: spec.onAbandoned }),
  };
}

/** The job types one process can run; a worker only claims jobs whose name is registered. */
export class JobRegistry {
  private readonly definitions = new Map<string, AnyJobDefinition>();

  register(...definitions: AnyJobDefinition[]): this {
    for (const definition of definitions) {
      const existing = this.definitions.get(definition.name);
      if (existing && existing !== definition) throw new Error(`job ${definition.name} is registered twice`);
      this.definitions.set(definition.name, definition);
    }
    return this;
  }

  get(name: string): AnyJobDefinition | undefined {
    return this.definitions.get(name);
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }

  /** Every queue some registered job uses: a worker's default set. */
  queues(): string[] {
    return [...new Set([...this.definitions.values()].map((definition) => definition.queue))];
  }
}
