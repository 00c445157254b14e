import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/**
 * A call as its events carry it: everything a face needs to render a webhook without reading the
 * database (Modjo's call_summarized, for one, wants the contacts, the users and the tenant name).
 */
export const callSnapshotSchema = z.object({
  id: z.number(),
  accountId: z.number(),
  /** The account's name, which Modjo webhooks send as `tenantName`. */
  accountName: z.string(),
  title: z.string(),
  direction: z.string().nullable(),
  provider: z.string(),
  externalId: z.string().nullable(),
  startedAt: z.string().nullable(),
  durationSeconds: z.number(),
  language: z.string().nullable(),
  state: z.string(),
  failureReason: z.string().nullable(),
  crmActivityId: z.string().nullable(),
  crmActivityType: z.string().nullable(),
  crmAccountId: z.string().nullable(),
  crmDealId: z.string().nullable(),
  summary: z.string().nullable(),
  summaryEngine: z.string().nullable(),
  contacts: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      email: z.string().nullable(),
      phoneNumber: z.string().nullable(),
      crmId: z.string().nullable(),
      crmType: z.string().nullable(),
    }),
  ),
  users: z.array(z.object({ id: z.number(), email: z.string(), name: z.string() })),
});
export type CallSnapshot = z.infer<typeof callSnapshotSchema>;

const callPayload = z.object({ call: callSnapshotSchema });

export const callCreated = defineEvent({
  type: 'call.created',
  aggregateType: 'call',
  version: 1,
  description: 'A call was registered; its recording is awaited (upload) or being downloaded.',
  payloadSchema: callPayload,
});

export const callSummarized = defineEvent({
  type: 'call.summarized',
  aggregateType: 'call',
  version: 1,
  description: 'A call was transcribed and summarized; its transcript, summary, highlights and topics exist.',
  payloadSchema: callPayload,
});

export const callFailed = defineEvent({
  type: 'call.failed',
  aggregateType: 'call',
  version: 1,
  description: "A call's processing stopped for good; `failureReason` says why.",
  payloadSchema: callPayload,
});

export const callRecordingDeleted = defineEvent({
  type: 'call.recording_deleted',
  aggregateType: 'call',
  version: 1,
  description: "A call's recording was deleted.",
  payloadSchema: callPayload,
});

export const callTranscriptDeleted = defineEvent({
  type: 'call.transcript_deleted',
  aggregateType: 'call',
  version: 1,
  description: "A call's transcript (segments and speakers' words) was deleted.",
  payloadSchema: callPayload,
});
