import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { recordEvent, type Actor } from '../../platform/events/outbox.js';
import type { MessageStatus } from '../conversations/conversations.tables.js';
import { updateMessage } from '../conversations/messages.js';
import { smsStatusChanged, type SmsStatus } from './sms.events.js';
import { smsSnapshotOf } from './sms-snapshot.js';
import { smsMessages, type SmsRow } from './sms.tables.js';

const SYSTEM: Actor = { type: 'system' };

/**
 * How far along an SMS is. Receipts can arrive out of order (a late "queued" after "delivered"):
 * a status never replaces one that is further along, and a final one is never replaced.
 */
const progress: Record<SmsStatus, number> = {
  CREATED: 0,
  PENDING: 1,
  SENT: 2,
  REMOTE_QUEUED: 3,
  RECEIVED: 4,
  FAILED: 4,
  EXPIRED: 4,
  ERROR: 4,
};

export function isFinalSmsStatus(status: SmsStatus): boolean {
  return progress[status] === 4;
}

export function canMoveTo(from: SmsStatus, to: SmsStatus): boolean {
  return progress[to] > progress[from];
}

/** What the conversation's copy of an outgoing SMS shows (Chatwoot's message status). */
function messageStatusOf(status: SmsStatus): MessageStatus {
  if (status === 'RECEIVED') return 'delivered';
  if (status === 'FAILED' || status === 'EXPIRED' || status === 'ERROR') return 'failed';
  return 'sent';
}

export interface SmsStatusChange {
  status: SmsStatus;
  error?: string | null | undefined;
  at: Date;
  providerRef?: string | undefined;
}

/**
 * Moves an SMS (locked by the caller) to a new status in the caller's transaction: its row, its
 * message's status in the conversation (with the carrier's error, as Chatwoot's `external_error`),
 * and one sms.status_changed event.
 */
export async function changeSmsStatus(tx: Db, row: SmsRow, change: SmsStatusChange): Promise<SmsRow> {
  const isDelivery = row.direction === 'OUT' && change.status === 'RECEIVED';
  const [updated] = await tx
    .update(smsMessages)
    .set({
      status: change.status,
      statusError: change.error ?? null,
      updatedAt: sql`now()`,
      ...(change.status === 'SENT' && { sentAt: change.at }),
      ...(isDelivery && { receivedAt: change.at }),
      ...(change.providerRef !== undefined && { providerRef: change.providerRef }),
    })
    .where(and(eq(smsMessages.accountId, row.accountId), eq(smsMessages.id, row.id)))
    .returning();
  if (!updated) throw new Error(`sms ${row.id} vanished while locked`);
  const before = messageStatusOf(row.status);
  const after = messageStatusOf(updated.status);
  if (updated.messageId !== null && updated.conversationId !== null && before !== after) {
    await updateMessage(tx, {
      accountId: updated.accountId,
      conversationId: updated.conversationId,
      messageId: updated.messageId,
      status: after,
      ...(updated.statusError && { contentAttributes: { external_error: updated.statusError } }),
      actor: SYSTEM,
    });
  }
  await recordEvent(tx, smsStatusChanged, {
    accountId: updated.accountId,
    aggregateId: updated.id,
    payload: { sms: smsSnapshotOf(updated) },
    actor: SYSTEM,
  });
  return updated;
}

export async function lockSms(tx: Db, accountId: number, id: number): Promise<SmsRow | null> {
  const [row] = await tx
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.accountId, accountId), eq(smsMessages.id, id)))
    .for('update');
  return row ?? null;
}

export interface DeliveryReport {
  provider: string;
  providerRef: string;
  status: SmsStatus;
  error?: string | null | undefined;
  at: Date;
}

/**
 * A carrier's delivery receipt, in the caller's transaction: what a provider's callback (or the
 * simulator's scheduled receipt job) calls. Unknown references and stale receipts change nothing;
 * returns the SMS as it is afterwards (null when the reference is unknown).
 */
export async function applyDeliveryReport(tx: Db, report: DeliveryReport): Promise<SmsRow | null> {
  const [row] = await tx
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.provider, report.provider), eq(smsMessages.providerRef, report.providerRef)))
    .for('update');
  if (!row) return null;
  if (!canMoveTo(row.status, report.status)) return row;
  return changeSmsStatus(tx, row, { status: report.status, error: report.error, at: report.at });
}
