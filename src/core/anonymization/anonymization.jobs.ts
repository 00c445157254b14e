import { z } from 'zod';
import { defineJob, type JobContext } from '../../platform/jobs/index.js';

export const anonymizeJobPayloadSchema = z.object({ accountId: z.number().int(), requestId: z.uuid() });
export type AnonymizeJobPayload = z.infer<typeof anonymizeJobPayloadSchema>;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(new Error('the anonymization job runs through createAnonymizationRuntime'));
}

/**
 * What the request enqueues. The handler needs blob storage and a logger, so the runtime registers
 * a copy of this definition with its handler (same name, queue and schema).
 */
export const anonymizeEntityJob = defineJob({
  name: 'anonymization.process',
  payloadSchema: anonymizeJobPayloadSchema,
  maxAttempts: 10,
  handler: wiredAtStartup,
});

export function withAnonymizeHandler(
  handler: (payload: AnonymizeJobPayload, ctx: JobContext) => Promise<void>,
): typeof anonymizeEntityJob {
  return { ...anonymizeEntityJob, handler };
}
