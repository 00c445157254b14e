import { z } from 'zod';
import { defineJob, exponentialBackoff, type JobContext } from '../../platform/jobs/index.js';

export const callJobPayloadSchema = z.object({ accountId: z.number().int(), callId: z.number().int() });
export type CallJobPayload = z.infer<typeof callJobPayloadSchema>;

/** Recording work is slow and CPU-bound: its own queue keeps webhooks from waiting behind it. */
export const CALLS_QUEUE = 'calls';

/** Downloads are retried this many times (5xx, timeouts) before the call fails. */
export const PROCESS_CALL_MAX_ATTEMPTS = 6;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(new Error('call jobs run through createCallJobs(deps), registered by the app'));
}

/**
 * What callers enqueue. The handlers need storage, engines and HTTP, so the app registers the
 * definitions returned by `createCallJobs`, which share these names, queues and schemas.
 */
export const processCallJob = defineJob({
  name: 'calls.process',
  queue: CALLS_QUEUE,
  payloadSchema: callJobPayloadSchema,
  maxAttempts: PROCESS_CALL_MAX_ATTEMPTS,
  backoff: exponentialBackoff(),
  handler: wiredAtStartup,
});

/** Runs once a signed upload link has expired: starts processing if the upload hook was missed, else fails. */
export const expireCallUploadJob = defineJob({
  name: 'calls.expire_upload',
  queue: CALLS_QUEUE,
  payloadSchema: callJobPayloadSchema,
  maxAttempts: 5,
  handler: wiredAtStartup,
});

export function withHandler<TDefinition extends { handler: unknown }>(
  definition: TDefinition,
  handler: (payload: CallJobPayload, ctx: JobContext) => Promise<void>,
): TDefinition {
  return { ...definition, handler };
}
