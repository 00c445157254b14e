import { z } from 'zod';
import { DEFAULT_QUEUE, type JobTarget } from '../../platform/jobs/index.js';

/**
 * The telephony core's durable jobs: every step of a call that waits (for the carrier, for a ring
 * timeout, for a REALTIME10 command's duration, for a click-to-call's schedule) is a job, so a
 * restarted node picks the call up where the database says it is. These targets are what callers
 * enqueue; `createTelephonyRuntime` builds the same names with their handlers (they need the engine).
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

/** Live calls wait on these jobs: their own queue, served by the live-calls worker pool (app.ts). */
export const TELEPHONY_QUEUE = 'telephony';

// A live call cannot wait for long backoffs: a few quick retries, then the call's own timeouts end it.
export const quickRetry = (attempt: number) => Math.min(5_000, 250 * 2 ** attempt);

/** Dials a queued call through the carrier. */
export const placeCallJob = {
  name: 'telephony.place_call',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<CallRef>;

/** The target's ring timeout: a call still ringing is cancelled (NOANSWER). */
export const ringTimeoutJob = {
  name: 'telephony.ring_timeout',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<CallRef>;

/** One RT.Request/RT.Response exchange of a REALTIME10 call (or its final notice), or one ACTIONS10 action. */
export const realtimeStepJob = {
  name: 'telephony.realtime_step',
  queue: TELEPHONY_QUEUE,
  payloadSchema: realtimeStepSchema,
  // The exchange itself is never retried (a live call cannot wait); a failed one ends the call.
  maxAttempts: 2,
} satisfies JobTarget<RealtimeStep>;

/** The platform hangs up an answered call (a broadcast has played its messages). */
export const hangUpCallJob = {
  name: 'telephony.hang_up',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<CallRef>;

/** Starts (or retries) a click-to-call's next leg. */
export const clicktocallNextJob = {
  name: 'telephony.clicktocall_next',
  queue: TELEPHONY_QUEUE,
  payloadSchema: clicktocallRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<ClicktocallRef>;

/** Cancels a click-to-call and hangs up its live legs. */
export const clicktocallCancelJob = {
  name: 'telephony.clicktocall_cancel',
  queue: TELEPHONY_QUEUE,
  payloadSchema: clicktocallRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<ClicktocallRef>;

/** Parley picks up an inbound call it accepted (the carrier then reports it answered). */
export const answerInboundJob = {
  name: 'telephony.answer_inbound',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<CallRef>;

/** CALLTRACKING10: the inbound call's next step (dial the next target, or take a voicemail). */
export const trackingNextJob = {
  name: 'telephony.tracking_next',
  queue: TELEPHONY_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 3,
} satisfies JobTarget<CallRef>;

/** CALLTRACKING10: an ended call's voicemail becomes a media of the library (storage I/O: the default queue). */
export const saveVoicemailJob = {
  name: 'telephony.save_voicemail',
  queue: DEFAULT_QUEUE,
  payloadSchema: callRefSchema,
  maxAttempts: 5,
} satisfies JobTarget<CallRef>;
