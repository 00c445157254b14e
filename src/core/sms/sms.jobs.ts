import { z } from 'zod';
import { defineJob, exponentialBackoff } from '../../platform/jobs/index.js';

/** SMS work is short and latency-sensitive: a queue of its own keeps it out of bulk queues' way. */
export const SMS_QUEUE = 'sms';

/** Provider outages are retried with backoff for about half an hour before the SMS ends in ERROR. */
export const SUBMIT_SMS_MAX_ATTEMPTS = 12;

export const submitSmsPayloadSchema = z.object({ accountId: z.number().int(), smsId: z.number().int() });
export type SubmitSmsPayload = z.infer<typeof submitSmsPayloadSchema>;

export const deliveryReportPayloadSchema = z.object({
  provider: z.string(),
  providerRef: z.string(),
  status: z.enum(['REMOTE_QUEUED', 'RECEIVED', 'FAILED', 'EXPIRED']),
  error: z.string().nullable(),
});
export type DeliveryReportPayload = z.infer<typeof deliveryReportPayloadSchema>;

export const inboundSmsPayloadSchema = z.object({
  provider: z.string(),
  providerRef: z.string(),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  receivedAt: z.iso.datetime(),
});
export type InboundSmsPayload = z.infer<typeof inboundSmsPayloadSchema>;

function wiredAtStartup(): Promise<void> {
  return Promise.reject(new Error('sms jobs run through createSmsRuntime(deps), registered by the app'));
}

/**
 * What callers enqueue. The handlers need the database and the provider, so the runtime registers
 * copies with handlers (createSmsRuntime), sharing these names, queues and schemas.
 */
export const submitSmsJob = defineJob({
  name: 'sms.submit',
  queue: SMS_QUEUE,
  payloadSchema: submitSmsPayloadSchema,
  maxAttempts: SUBMIT_SMS_MAX_ATTEMPTS,
  backoff: exponentialBackoff(),
  handler: wiredAtStartup,
});

/** One carrier receipt (the simulator schedules them; a real provider's callback applies them at once). */
export const deliveryReportJob = defineJob({
  name: 'sms.delivery_report',
  queue: SMS_QUEUE,
  payloadSchema: deliveryReportPayloadSchema,
  maxAttempts: 10,
  handler: wiredAtStartup,
});

/** One SMS a provider delivered to one of the instance's numbers. */
export const inboundSmsJob = defineJob({
  name: 'sms.inbound',
  queue: SMS_QUEUE,
  payloadSchema: inboundSmsPayloadSchema,
  maxAttempts: 10,
  handler: wiredAtStartup,
});
