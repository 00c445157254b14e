import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EventRow } from '../../platform/events/events.tables.js';
import { SMS_RECEIVED, SMS_STATUS_CHANGED, type SmsSnapshot } from '../../core/sms/sms.events.js';
import {
  CREDIT_LIMIT_REACHED,
  creditLimitReached,
  type CreditSnapshot,
} from '../../core/billing/billing.events.js';
import {
  cdrSnapshotSchema,
  TELEPHONY_CALL_ENDED,
  type CdrSnapshot,
} from '../../core/telephony/telephony.events.js';

/** One CALLR webhook event: its type name and the object pushed as `data`. */
export interface CallrEvent {
  type: string;
  data: unknown;
}

/** How core snapshots become the seed's objects; the faces' mappers, injected so this module stays small. */
export interface CallrMappers {
  sms(snapshot: SmsSnapshot): unknown;
  cdrOut(cdr: CdrSnapshot): unknown;
  cdrIn(cdr: CdrSnapshot): unknown;
  credit(credit: CreditSnapshot): unknown;
}

// The snapshot is the SMS module's contract; only what routing needs is checked here.
const smsPayload = z.object({
  sms: z.looseObject({ id: z.number(), direction: z.enum(['IN', 'OUT']) }),
});

function smsOf(event: EventRow): SmsSnapshot | null {
  const parsed = smsPayload.safeParse(event.payload);
  return parsed.success ? (parsed.data.sms as unknown as SmsSnapshot) : null;
}

const callPayload = z.object({ call: cdrSnapshotSchema });

type Renderer = (event: EventRow, mappers: CallrMappers) => CallrEvent | null;

const renderers: Record<string, Renderer> = {
  // An MT (outbound) SMS's status changed: its delivery report.
  [SMS_STATUS_CHANGED]: (event, mappers) => {
    const sms = smsOf(event);
    return sms?.direction === 'OUT' ? { type: 'sms.mt.status_update', data: mappers.sms(sms) } : null;
  },
  [SMS_RECEIVED]: (event, mappers) => {
    const sms = smsOf(event);
    return sms ? { type: 'sms.mo', data: mappers.sms(sms) } : null;
  },
  // The balance reached a limit: `billing.credit_warning` or `billing.credit_shutdown`.
  [CREDIT_LIMIT_REACHED]: (event, mappers) => {
    const parsed = creditLimitReached.payloadSchema.safeParse(event.payload);
    if (!parsed.success) return null;
    return { type: `billing.credit_${parsed.data.limit}`, data: mappers.credit(parsed.data.credit) };
  },
  [TELEPHONY_CALL_ENDED]: (event, mappers) => {
    const parsed = callPayload.safeParse(event.payload);
    if (!parsed.success) return null;
    const { call } = parsed.data;
    return call.direction === 'OUT'
      ? { type: 'call.outbound_hangup', data: mappers.cdrOut(call) }
      : { type: 'call.inbound_hangup', data: mappers.cdrIn(call) };
  },
};

/** The CALLR event a Parley event stands for, or null when it has none. */
export function callrEventOf(event: EventRow, mappers: CallrMappers): CallrEvent | null {
  return renderers[event.type]?.(event, mappers) ?? null;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * CALLR's event ids look like "9422146236497234056PGNSmlw2sOrjq": digits, then letters. Parley's
 * are the outbox event id, then 16 letters keyed on the account and event, so the id is the same
 * for every subscription and retry of one event (receivers dedupe on it), does not read as a bare
 * counter, and still leads back to its event for the log search.
 */
export function callrEventId(event: Pick<EventRow, 'id' | 'accountId'>): string {
  const digest = createHash('sha256').update(`parley-callr-event:${event.accountId}:${event.id}`).digest();
  let suffix = '';
  for (let index = 0; index < 16; index += 1) suffix += LETTERS.charAt((digest[index] ?? 0) % LETTERS.length);
  return `${event.id}${suffix}`;
}

/** The outbox event id a CALLR event id names; null when it is not one of ours. */
export function eventRowIdOf(callrId: string): number | null {
  const match = /^(\d{1,15})[A-Za-z]{16}$/.exec(callrId);
  return match ? Number(match[1]) : null;
}
