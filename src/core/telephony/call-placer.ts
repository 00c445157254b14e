/**
 * The port the dialer places outbound calls through. This issue ships a carrier simulator behind it
 * (`carrier-simulator.ts`); a later issue puts real SIP behind the same shape, so it speaks in carrier
 * terms (a call reference, carrier events) and knows nothing of campaigns or contacts.
 */

/** What the carrier reports about a placed call. */
export const carrierEventTypes = [
  'ringing',
  'answered',
  'machine',
  'busy',
  'no_answer',
  'invalid_number',
  'failed',
  'hangup',
] as const;
export type CarrierEventType = (typeof carrierEventTypes)[number];

/** The outcomes that end a call before anyone talked (no `hangup` follows them). */
export const unansweredCarrierOutcomes = ['busy', 'no_answer', 'invalid_number', 'failed'] as const;

/**
 * One carrier event. Sequences for one call:
 * - `ringing` → `answered` (a person picked up) → later `hangup` (the called party hung up after
 *   talking, only once the call was `connect`ed to an agent);
 * - `ringing` → `machine` (an answering machine picked up; only when `detectMachine` was asked;
 *   without detection a machine is reported as `answered`);
 * - `ringing` → `busy` | `no_answer` | `invalid_number` | `failed` (final; `invalid_number` and
 *   `failed` may come without `ringing`).
 * No event follows the dialer's own `hangUp`.
 */
export interface CarrierEvent {
  carrierCallId: string;
  type: CarrierEventType;
  at: Date;
}

export interface PlaceCallRequest {
  accountId: number;
  /** The dialer's attempt (dialer_attempts.id), for the carrier's logs; events come back by carrierCallId. */
  attemptId: number;
  /** The number to dial: digits of the E.164 form, with or without "+". */
  to: string;
  /** The caller id to present. */
  from?: string;
  record: boolean;
  /** Ask the carrier for answering-machine detection (automatic / amd_progressive). */
  detectMachine: boolean;
}

export type CarrierEventHandler = (event: CarrierEvent) => void | Promise<void>;

export interface CallPlacer {
  /**
   * Starts dialling. Resolves with the carrier's reference as soon as the call is accepted for
   * dialling — before any event for it is delivered, so the caller can store the reference first.
   */
  place(request: PlaceCallRequest): Promise<{ carrierCallId: string }>;
  /** Bridges an answered call to an agent; talk starts now. Rejects when the call is not answered/live. */
  connect(carrierCallId: string, agentId: number): Promise<void>;
  /**
   * Ends a call from the dialer's side (ringing: cancelled; answered but not connected: abandoned;
   * connected: the agent hung up). Idempotent; unknown or ended calls are ignored.
   */
  hangUp(carrierCallId: string): Promise<void>;
  /** Registers the handler for every carrier event; returns a function that removes it. */
  onEvent(handler: CarrierEventHandler): () => void;
}
