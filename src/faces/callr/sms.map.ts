import type { SmsSnapshot } from '../../core/sms/sms.events.js';
import { callrAmount, callrDateTime } from './formats.js';
import { encodeHash } from './hash-ids.js';

/** CALLR's `SMS` object (callr.objects.json), field for field. */
export interface CallrSms {
  b_customer_debit: string;
  b_customer_mode: 'POSTPAID' | 'PREPAID';
  date_creation: string;
  date_received: string;
  date_sent: string;
  date_update: string;
  encoding: 'GSM' | 'UNICODE';
  from: string;
  hash: string;
  nature: 'ALERTING' | 'MARKETING';
  options: Record<string, unknown>;
  parts: number;
  status: SmsSnapshot['status'];
  status_error: string;
  text: string;
  to: string;
  type: 'IN' | 'OUT';
  user_data: string;
}

// Dates and strings that are not set yet are "" (the seed's types have no null).
const dateOf = (iso: string | null) => (iso ? callrDateTime(new Date(iso)) : '');

/**
 * An SMS as CALLR shows it (sms.get, sms.get_list, webhook data). Parley's credit is prepaid, so
 * b_customer_mode is always PREPAID; date_received is the delivery receipt's time for an outgoing
 * SMS and the arrival time for an incoming one.
 */
export function toCallrSms(sms: SmsSnapshot): CallrSms {
  return {
    b_customer_debit: callrAmount(sms.debitCents),
    b_customer_mode: 'PREPAID',
    date_creation: callrDateTime(new Date(sms.createdAt)),
    date_received: dateOf(sms.receivedAt),
    date_sent: dateOf(sms.sentAt),
    date_update: callrDateTime(new Date(sms.updatedAt)),
    encoding: sms.encoding,
    from: sms.from,
    hash: encodeHash('sms', sms.id),
    nature: sms.nature,
    options: sms.options,
    parts: sms.parts,
    status: sms.status,
    status_error: sms.statusError ?? '',
    text: sms.text,
    to: sms.to,
    type: sms.direction,
    user_data: sms.userData ?? '',
  };
}
