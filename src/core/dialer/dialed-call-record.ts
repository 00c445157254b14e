import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events/outbox.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { campaignContacts } from '../campaigns/campaigns.tables.js';
import { contacts } from '../contacts/contacts.tables.js';
import { recordingKeyOf } from '../calls/call-settings.js';
import { snapshotCall } from '../calls/call-snapshot.js';
import { callCreated } from '../calls/calls.events.js';
import { callContacts, calls } from '../calls/calls.tables.js';
import { syntheticCallRecording } from '../telephony/audio-synthetic-call.js';
import { dialerAttempts } from './dialer.tables.js';

export interface DialedCallInput {
  accountId: number;
  attemptId: number;
  agentId: number;
  /**
   * The core contact (`contacts.id`). When the attempt still names its campaign contact, that
   * campaign contact's core contact is used instead: the attempt is the record of who was dialled.
   */
  contactId: number;
  startedAt: Date;
  /** Talk time as the carrier measured it; the recording keeps at most its first ten minutes. */
  durationSeconds: number;
  isRecorded: boolean;
  /** Picks the synthetic voices; defaults to the attempt id. */
  seed?: number;
}

/**
 * Makes an answered dial a call of the calls core (outbound, provider `diabolocom-v2`), with its
 * recording when the campaign records it, and links the attempt to it. Idempotent per attempt: a
 * job that runs twice gets the first call back.
 *
 * The call is stored as already processed (`summarized`, no transcript): the simulator's audio holds
 * no speech, the account's minimum call duration would make the pipeline delete short calls'
 * recordings, and a simulated day makes tens of thousands of calls. Modjo's export and the native
 * API list it as a finished call with its recording. A real carrier's recording should instead be
 * stored `downloaded` with a process-call job queued, as an upload is (docs/decisions.md).
 *
 * One transaction, the file written inside it: a rollback leaves at worst an orphan file under a
 * call id never committed, never a call that claims a recording it does not have.
 */
export async function recordDialedCall(
  deps: { db: Db; storage: BlobStorage },
  input: DialedCallInput,
): Promise<{ callId: number }> {
  return deps.db.transaction(async (tx) => {
    const [attempt] = await tx
      .select({
        callId: dialerAttempts.callId,
        carrierCallId: dialerAttempts.carrierCallId,
        campaignContactId: dialerAttempts.campaignContactId,
        phoneNumber: dialerAttempts.phoneNumber,
      })
      .from(dialerAttempts)
      .where(and(eq(dialerAttempts.accountId, input.accountId), eq(dialerAttempts.id, input.attemptId)))
      .for('update');
    if (!attempt) throw notFound('Dialer attempt');
    if (attempt.callId !== null) return { callId: attempt.callId };
    const contact = await dialledContact(tx, input, attempt.campaignContactId);
    const [call] = await tx
      .insert(calls)
      .values({
        accountId: input.accountId,
        title: `Call with ${contact?.name || attempt.phoneNumber}`,
        startedAt: input.startedAt,
        direction: 'outbound',
        provider: 'diabolocom-v2',
        durationSeconds: Math.max(0, input.durationSeconds),
        userId: input.agentId,
        externalId: attempt.carrierCallId ?? `dialer-attempt-${input.attemptId}`,
        crmActivityType: 'call',
        state: 'summarized',
        recordingExtension: 'mp3',
      })
      .returning();
    if (!call) throw new Error('call insert returned no row');
    if (contact) {
      await tx
        .insert(callContacts)
        .values({ accountId: input.accountId, callId: call.id, contactId: contact.id, position: 0 });
    }
    const recorded = input.isRecorded ? await storeRecording(deps.storage, call, input) : {};
    const [stored] = await tx
      .update(calls)
      .set({ ...recorded, updatedAt: sql`now()` })
      .where(and(eq(calls.accountId, input.accountId), eq(calls.id, call.id)))
      .returning();
    await tx
      .update(dialerAttempts)
      .set({ callId: call.id, updatedAt: sql`now()` })
      .where(and(eq(dialerAttempts.accountId, input.accountId), eq(dialerAttempts.id, input.attemptId)));
    await recordEvent(tx, callCreated, {
      accountId: input.accountId,
      aggregateId: call.id,
      payload: { call: await snapshotCall(tx, stored ?? call) },
      actor: { type: 'system' },
    });
    return { callId: call.id };
  });
}

async function dialledContact(
  tx: Db,
  input: DialedCallInput,
  campaignContactId: number | null,
): Promise<{ id: number; name: string } | undefined> {
  const fromAttempt =
    campaignContactId === null
      ? []
      : await tx
          .select({ id: contacts.id, name: contacts.name })
          .from(campaignContacts)
          .innerJoin(contacts, eq(contacts.id, campaignContacts.contactId))
          .where(
            and(eq(campaignContacts.accountId, input.accountId), eq(campaignContacts.id, campaignContactId)),
          );
  if (fromAttempt[0]) return fromAttempt[0];
  const [given] = await tx
    .select({ id: contacts.id, name: contacts.name })
    .from(contacts)
    .where(and(eq(contacts.accountId, input.accountId), eq(contacts.id, input.contactId)));
  return given;
}

async function storeRecording(
  storage: BlobStorage,
  call: { accountId: number; id: number },
  input: DialedCallInput,
) {
  const audio = syntheticCallRecording(input.durationSeconds, input.seed ?? input.attemptId);
  const key = recordingKeyOf(call.accountId, call.id, audio.format);
  const blob = await storage.put(key, audio.bytes, {
    contentType: audio.contentType,
    fileName: `interaction-${call.id}.mp3`,
  });
  return {
    recordingKey: blob.key,
    recordingFormat: audio.format,
    recordingContentType: audio.contentType,
    recordingSize: blob.size,
    recordingDurationSeconds: audio.durationSeconds,
    recordingChannels: audio.channels,
    recordingSampleRate: audio.sampleRate,
  };
}
