import type { SmsEncoding } from './sms-encoding.js';
import type { SmsStatus } from './sms.events.js';

/** What Parley hands a provider to send. */
export interface OutgoingSms {
  /**
   * Stable per SMS: a provider that sees the same key twice (a job retried after a crash between
   * its accepting and our recording it) must treat it as the same message, not send it again.
   */
  idempotencyKey: string;
  from: string;
  to: string;
  text: string;
  encoding: SmsEncoding;
  parts: number;
  flash: boolean;
}

/** A status the carrier will report later, as a delivery receipt (DLR). */
export interface ScheduledReport {
  status: Extract<SmsStatus, 'REMOTE_QUEUED' | 'RECEIVED' | 'FAILED' | 'EXPIRED'>;
  afterMs: number;
  error?: string;
}

export type SubmitResult =
  | {
      accepted: true;
      providerRef: string;
      /**
       * Receipts the provider already knows it will send (a simulator does; a real provider
       * reports through its callback instead and leaves this empty).
       */
      reports: ScheduledReport[];
    }
  | { accepted: false; error: string };

/**
 * The port to an SMS carrier. Sending is `submit`; what comes back from the carrier (delivery
 * receipts, inbound SMS) enters through `applyDeliveryReport` and `receiveSms` (sms-status.ts,
 * receive-sms.ts), which is what a provider's callback route calls.
 * A transient failure (the provider is down) throws; a refusal (bad destination) is a result.
 */
export interface SmsProvider {
  readonly name: string;
  submit(sms: OutgoingSms): Promise<SubmitResult>;
}
