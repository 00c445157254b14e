import { z } from 'zod';
import { defineJob, type AnyJobDefinition, type JobContext } from '../../platform/jobs/index.js';
import { TELEPHONY_QUEUE } from '../telephony/telephony.jobs.js';

/**
 * A conference leg's steps that wait (dialling, its ring timeout) are durable jobs, so a restarted
 * node picks the leg up where the database says it is. Callers enqueue these declarations;
 * createConferencesRuntime registers the same names with handlers that hold the carrier.
 */
export const participantRefSchema = z.object({
  accountId: z.number().int(),
  participantId: z.number().int(),
});
export type ParticipantRef = z.infer<typeof participantRefSchema>;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(
    new Error('conference jobs run through createConferencesRuntime, registered by the app'),
  );
}

// A live call cannot wait for long backoffs: a few quick retries, then its own timeouts end it.
const quickRetry = (attempt: number) => Math.min(5_000, 250 * 2 ** attempt);

/** Dials a participant's leg through the carrier (served by the live-calls pool with other calls). */
export const dialParticipantJob = defineJob({
  name: 'conferences.dial_participant',
  queue: TELEPHONY_QUEUE,
  payloadSchema: participantRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

/** A leg still ringing when its time is up is cancelled (NOANSWER). */
export const participantRingTimeoutJob = defineJob({
  name: 'conferences.ring_timeout',
  queue: TELEPHONY_QUEUE,
  payloadSchema: participantRefSchema,
  maxAttempts: 3,
  backoff: quickRetry,
  handler: wiredAtStartup,
});

export interface ConferenceJobHandlers {
  dialParticipant(payload: ParticipantRef, ctx: JobContext): Promise<void>;
  ringTimeout(payload: ParticipantRef, ctx: JobContext): Promise<void>;
}

/** The declarations with their handlers, for the job registry. */
export function conferenceJobs(handlers: ConferenceJobHandlers): AnyJobDefinition[] {
  const dial: typeof dialParticipantJob = {
    ...dialParticipantJob,
    handler: (payload, ctx) => handlers.dialParticipant(payload, ctx),
  };
  const ringTimeout: typeof participantRingTimeoutJob = {
    ...participantRingTimeoutJob,
    handler: (payload, ctx) => handlers.ringTimeout(payload, ctx),
  };
  return [dial, ringTimeout];
}
