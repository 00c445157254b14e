import { z } from 'zod';
import { defineEvent } from '../../platform/events/event-definition.js';

/**
 * The core events the SMS module emits (outbox). Their payload is a face-neutral snapshot of the
 * message, complete enough for a webhook format to render without reading the database.
 * CONTRACT between the SMS helper (emits) and the CALLR webhooks helper (renders).
 */
export const SMS_STATUS_CHANGED = 'sms.status_changed';
export const SMS_RECEIVED = 'sms.received';

export type SmsDirection = 'IN' | 'OUT';
export type SmsStatus =
  'CREATED' | 'ERROR' | 'EXPIRED' | 'FAILED' | 'PENDING' | 'RECEIVED' | 'REMOTE_QUEUED' | 'SENT';

export interface SmsSnapshot {
  /** sms_messages.id */
  id: number;
  direction: SmsDirection;
  /** Sender: E.164 number or alphanumeric sender id. */
  from: string;
  /** Recipient, E.164. */
  to: string;
  text: string;
  status: SmsStatus;
  /** Set when status is ERROR/FAILED. */
  statusError: string | null;
  encoding: 'GSM' | 'UNICODE';
  parts: number;
  nature: 'ALERTING' | 'MARKETING';
  userData: string | null;
  /** The SMS.Options as sent (flash_message, force_encoding, nature, user_data, webhook). */
  options: Record<string, unknown>;
  debitCents: number;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  receivedAt: string | null;
  /** The core conversation and message it is, for faces that link them. */
  conversationId: number | null;
  messageId: number | null;
}

export interface SmsEventPayload {
  sms: SmsSnapshot;
}

// ---- Event definitions (the outbox's registry): the payloads above, validated on write. ----

const smsSnapshotSchema = z.object({
  id: z.number().int(),
  direction: z.enum(['IN', 'OUT']),
  from: z.string(),
  to: z.string(),
  text: z.string(),
  status: z.enum(['CREATED', 'ERROR', 'EXPIRED', 'FAILED', 'PENDING', 'RECEIVED', 'REMOTE_QUEUED', 'SENT']),
  statusError: z.string().nullable(),
  encoding: z.enum(['GSM', 'UNICODE']),
  parts: z.number().int(),
  nature: z.enum(['ALERTING', 'MARKETING']),
  userData: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  debitCents: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  conversationId: z.number().int().nullable(),
  messageId: z.number().int().nullable(),
}) satisfies z.ZodType<SmsSnapshot>;

const smsEventPayloadSchema = z.object({ sms: smsSnapshotSchema });

export const smsStatusChanged = defineEvent<{ sms: SmsSnapshot }>({
  type: SMS_STATUS_CHANGED,
  aggregateType: 'sms',
  version: 1,
  description: "An SMS's delivery status changed (sent, queued at the carrier, delivered, failed…).",
  payloadSchema: smsEventPayloadSchema,
});

export const smsReceived = defineEvent<{ sms: SmsSnapshot }>({
  type: SMS_RECEIVED,
  aggregateType: 'sms',
  version: 1,
  description: 'An SMS arrived on one of the account’s numbers.',
  payloadSchema: smsEventPayloadSchema,
});
