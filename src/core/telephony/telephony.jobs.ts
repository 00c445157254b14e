import { z } from 'zod';
import {
  defineJob,
  type AnyJobDefinition,
  type JobContext,
  type JobDefinition,
} from '../../platform/jobs/index.js';

/**
 * The telephony core's durable jobs: every step of a call that waits (for the carrier, for a ring
 * timeout, for a REALTIME10 command's duration, for a click-to-call's schedule) is a job, so a
 * restarted node picks the call up where the database says it is. The declarations here are what
 * callers enqueue; `createTelephonyRuntime` registers the same names with their handlers.
 */
export const callRefSchema = z.object({ accountId: z.number().int(), telephonyCallId: z.number().int() });
export type CallRef = z.infer<typeof callRefSchema>;

export const realtimeStepSchema = callRefSchema.extend({ seq: z.number().int() });
export type RealtimeStep = z.infer<typeof realtimeStepSchema>;

export const clicktocallRefSchema = z.object({
  accountId: z.number().int(),
  clicktocallId: z.number().int(),
});
export type ClicktocallRef = z.infer<typeof clicktocallRefSchema>;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(
    new Error('telephony jobs run through createTelephonyRuntime, registered by the app'),
  );
}

/** Live calls wait on these jobs: their own queue, served by the live-calls worker pool (app.ts). */
export const TELEPHONY_QUEUE = 'telephony';

// A live call cannot wait for long backoffs: a few quick retries, then the call's own timeouts end it.
const quickRetry = (attempt: number) => Math.min(5_000, 250 * 2 ** attempt);

/** Dials a queued call through the carrier. */
export const placeCallJob = defineJob({
  name: 'telephony.place_call',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** The target's ring timeout: a call still ringing is cancelled (NOANSWER). */
export const ringTimeoutJob = defineJob({
  name: 'telephony.ring_timeout',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** One RT.Request/RT.Response exchange of a REALTIME10 call (or its final notice). */
export const realtimeStepJob = defineJob({
  name: 'telephony.realtime_step',
  queue: TELEPHONY_QUEUE,
  payloadSchema: realtimeStepSchema,
  // The exchange itself is never retried (a live call cannot wait); a failed one ends the call.
  maxAttempts: 2,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** The platform hangs up an answered call (a broadcast has played its messages). */
export const hangUpCallJob = defineJob({
  name: 'telephony.hang_up',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** Starts (or retries) a click-to-call's next leg. */
export const clicktocallNextJob = defineJob({
  name: 'telephony.clicktocall_next',
  queue: TELEPHONY_QUEUE,
  payloadSchema: clicktocallRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** Cancels a click-to-call and hangs up its live legs. */
export const clicktocallCancelJob = defineJob({
  name: 'telephony.clicktocall_cancel',
  queue: TELEPHONY_QUEUE,
  payloadSchema: clicktocallRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

export interface TelephonyJobHandlers {
  placeCall(payload: CallRef, ctx: JobContext): Promise<void>;
  ringTimeout(payload: CallRef, ctx: JobContext): Promise<void>;
  realtimeStep(payload: RealtimeStep, ctx: JobContext): Promise<void>;
  hangUp(payload: CallRef, ctx: JobContext): Promise<void>;
  clicktocallNext(payload: ClicktocallRef, ctx: JobContext): Promise<void>;
  clicktocallCancel(payload: ClicktocallRef, ctx: JobContext): Promise<void>;
}

function withHandler<TInput, TPayload>(
  definition: JobDefinition<TInput, TPayload>,
  handler: (payload: TPayload, ctx: JobContext) => Promise<void>,
): JobDefinition<TInput, TPayload> {
  return { ...definition, handler };
}

/** The declarations with their handlers, for the job registry. */
export function telephonyJobs(handlers: TelephonyJobHandlers): AnyJobDefinition[] {
  const jobs = [
    withHandler(placeCallJob, (payload, ctx) => handlers.placeCall(payload, ctx)),
    withHandler(ringTimeoutJob, (payload, ctx) => handlers.ringTimeout(payload, ctx)),
    withHandler(realtimeStepJob, (payload, ctx) => handlers.realtimeStep(payload, ctx)),
    withHandler(hangUpCallJob, (payload, ctx) => handlers.hangUp(payload, ctx)),
    withHandler(clicktocallNextJob, (payload, ctx) => handlers.clicktocallNext(payload, ctx)),
    withHandler(clicktocallCancelJob, (payload, ctx) => handlers.clicktocallCancel(payload, ctx)),
  ];
  return jobs;
}
