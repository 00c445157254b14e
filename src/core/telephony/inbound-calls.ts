import { and, eq } from 'drizzle-orm';
import { enqueue } from '../../platform/jobs/index.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { voiceApps, type VoiceAppPackage } from '../voice-apps/voice-apps.tables.js';
import type { InboundCallDecision, InboundCallOffer } from './inbound-port.js';
import { endCall, later, type TelephonyEngine } from './telephony-engine.js';
import { answerInboundJob, ringTimeoutJob, type CallRef } from './telephony.jobs.js';
import { telephonyCalls, type TelephonyCallKind } from './telephony.tables.js';

/**
 * Inbound calls: the carrier offers a call on a DID; Parley finds the number's account and voice
 * app and runs the app — REALTIME10 (the same RT.Request/RT.Response session as outbound calls),
 * CALLTRACKING10 (forward to the targets, then voicemail: `call-tracking.ts`) or ACTIONS10 (its
 * script: `actions-script.ts`). A number nobody holds is refused as unallocated; a held number
 * with no app to run is refused as rejected, and that attempt is the account's CDR all the same.
 */

// ISDN (Q.850) causes the carrier signals to the caller.
export const UNALLOCATED_NUMBER = 1;
export const CALL_REJECTED = 21;

/** How long an accepted call may ring before Parley picks it up (a stuck pick-up ends it). */
const INBOUND_RING_SECONDS = 30;

const kindOf: Partial<Record<VoiceAppPackage, TelephonyCallKind>> = {
  REALTIME10: 'realtime',
  CALLTRACKING10: 'calltracking',
  ACTIONS10: 'actions',
};

/** The carrier's inbound handler: accepts the offer (and queues the pick-up) or refuses it. */
export async function receiveInboundCall(
  engine: TelephonyEngine,
  offer: InboundCallOffer,
): Promise<InboundCallDecision> {
  return engine.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ did: phoneNumbers, app: voiceApps })
      .from(phoneNumbers)
      .leftJoin(
        voiceApps,
        and(eq(voiceApps.id, phoneNumbers.voiceAppId), eq(voiceApps.accountId, phoneNumbers.accountId)),
      )
      .where(and(eq(phoneNumbers.number, offer.to), eq(phoneNumbers.state, 'active')));
    const accountId = found?.did.accountId;
    if (!found || accountId == null) {
      return { accepted: false, hangupCause: UNALLOCATED_NUMBER, reason: 'No account holds this number' };
    }
    const kind = found.app ? kindOf[found.app.package] : undefined;
    const [row] = await tx
      .insert(telephonyCalls)
      .values({
        accountId,
        direction: 'IN',
        kind: kind ?? 'rejected',
        voiceAppId: found.app?.id ?? null,
        appName: found.app?.name ?? '',
        packageName: found.app?.package ?? '',
        number: offer.to,
        cli: offer.from,
        didId: found.did.id,
        status: 'dialing',
        carrierCallId: offer.carrierCallId,
        startedAt: offer.at,
        ringTimeoutSeconds: INBOUND_RING_SECONDS,
        attempt: 0,
      })
      .returning();
    if (!row) throw new Error('inbound call insert returned no row');
    const ref: CallRef = { accountId, telephonyCallId: row.id };
    if (!kind) {
      const reason = found.app ? `A ${found.app.package} app takes no calls` : 'The number runs no voice app';
      await endCall({ ...engine, db: tx }, ref, {
        dialStatus: 'NODIAL',
        hangupCause: CALL_REJECTED,
        hangupSource: 'GATEWAY',
        endReason: reason,
        notifyApp: false,
      });
      return { accepted: false, hangupCause: CALL_REJECTED, reason };
    }
    await enqueue(tx, answerInboundJob, ref, { accountId });
    await enqueue(tx, ringTimeoutJob, ref, {
      accountId,
      runAt: later(engine, INBOUND_RING_SECONDS * 1000),
    });
    return { accepted: true, telephonyCallId: row.id, accountId };
  });
}

/** Picks up an accepted call; the carrier's `answered` then starts the app. */
export async function answerInbound(engine: TelephonyEngine, ref: CallRef): Promise<void> {
  const [row] = await engine.db
    .select({ status: telephonyCalls.status, carrierCallId: telephonyCalls.carrierCallId })
    .from(telephonyCalls)
    .where(and(eq(telephonyCalls.accountId, ref.accountId), eq(telephonyCalls.id, ref.telephonyCallId)));
  if (row?.status !== 'dialing' || row.carrierCallId === null || !engine.inbound) return;
  try {
    await engine.inbound.answer(row.carrierCallId);
  } catch {
    // The caller is gone: the carrier's hangup (or the ring timeout) ends the call.
  }
}
