import type { SmsSnapshot } from './sms.events.js';
import type { SmsRow } from './sms.tables.js';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The face-neutral view of an SMS row, as events carry it and faces render it. */
export function smsSnapshotOf(row: SmsRow): SmsSnapshot {
  return {
    id: row.id,
    direction: row.direction,
    from: row.sender,
    to: row.recipient,
    text: row.body,
    status: row.status,
    statusError: row.statusError,
    encoding: row.encoding,
    parts: row.parts,
    nature: row.nature,
    userData: row.userData,
    options: row.options,
    debitCents: row.debitCents,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    sentAt: iso(row.sentAt),
    receivedAt: iso(row.receivedAt),
    conversationId: row.conversationId,
    messageId: row.messageId,
  };
}
