import { createHash } from 'node:crypto';
import type { OutgoingSms, ScheduledReport, SmsProvider, SubmitResult } from './sms-provider.js';

export const SIMULATOR_PROVIDER = 'simulator';

export interface SmsSimulatorOptions {
  /** After acceptance: when the carrier reports the message queued at the remote network. */
  queuedAfterMs?: number;
  /** After acceptance: when the handset's delivery receipt (or the failure) comes. */
  deliveredAfterMs?: number;
}

/**
 * A carrier without a network, deterministic so tests and demos can steer it by the recipient's
 * last digits:
 * - `…0000`: refused at submission (status ERROR, "Unknown destination");
 * - `…0001`: accepted, then FAILED ("Handset unreachable");
 * - `…0002`: accepted, then EXPIRED (validity period over);
 * - anything else: accepted, REMOTE_QUEUED, then RECEIVED (delivered).
 * Its references derive from the idempotency key, so a resubmission is the same message.
 */
export function createSmsSimulator(options: SmsSimulatorOptions = {}): SmsProvider {
  const queuedAfterMs = options.queuedAfterMs ?? 200;
  const deliveredAfterMs = options.deliveredAfterMs ?? 600;
  return {
    name: SIMULATOR_PROVIDER,
    // eslint-disable-next-line @typescript-eslint/require-await -- the port is async; a real provider does I/O
    async submit(sms: OutgoingSms): Promise<SubmitResult> {
      if (sms.to.endsWith('0000')) return { accepted: false, error: 'Unknown destination' };
      const providerRef = `sim-${createHash('sha256').update(sms.idempotencyKey).digest('hex').slice(0, 24)}`;
      const reports: ScheduledReport[] = [{ status: 'REMOTE_QUEUED', afterMs: queuedAfterMs }];
      if (sms.to.endsWith('0001')) {
        reports.push({ status: 'FAILED', afterMs: deliveredAfterMs, error: 'Handset unreachable' });
      } else if (sms.to.endsWith('0002')) {
        reports.push({ status: 'EXPIRED', afterMs: deliveredAfterMs, error: 'Validity period expired' });
      } else {
        reports.push({ status: 'RECEIVED', afterMs: deliveredAfterMs });
      }
      return { accepted: true, providerRef, reports };
    },
  };
}
