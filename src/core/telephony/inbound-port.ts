/**
 * The carrier's side of inbound calls, beside `CallPlacer` (outbound): the carrier offers Parley a
 * call ("a call from X arrives on DID Y"), Parley accepts or refuses it at once, then picks up an
 * accepted call when it is ready. From then on the call is like a placed one: the carrier reports
 * `answered` once Parley picked up, then `hangup` when the caller hangs up (the same `CarrierEvent`
 * stream as outbound calls, by the offer's `carrierCallId`), and `CallPlacer.hangUp` ends it from
 * Parley's side. The simulator implements both; a later issue puts SIP behind the same shapes.
 */

/** A call the carrier offers: who calls (E.164, or "" when withheld) and which DID (E.164). */
export interface InboundCallOffer {
  carrierCallId: string;
  from: string;
  to: string;
  at: Date;
}

/**
 * Parley's answer to an offer: accepted (the call's id in the telephony core), or refused with an
 * ISDN (Q.850) cause the carrier signals to the caller.
 */
export type InboundCallDecision =
  | { accepted: true; telephonyCallId: number; accountId: number }
  | { accepted: false; hangupCause: number; reason: string };

export type InboundCallHandler = (offer: InboundCallOffer) => Promise<InboundCallDecision>;

export interface InboundCallPort {
  /** Sets the one handler that decides on offers (a carrier routes each call once). */
  onInboundCall(handler: InboundCallHandler): void;
  /** Picks up an accepted call; the carrier reports `answered`. Rejects when the caller is gone. */
  answer(carrierCallId: string): Promise<void>;
}
