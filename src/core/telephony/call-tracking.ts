import { randomUUID } from 'node:crypto';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { enqueue } from '../../platform/jobs/index.js';
import type { BlobStorage } from '../../platform/storage/blob-storage.js';
import { applyMediaContent, createMediaItem, findMediaItem } from '../media/media-items.js';
import { callTracking10Schema, type CallTracking10Options } from '../voice-apps/voice-app-options.js';
import { voiceApps } from '../voice-apps/voice-apps.tables.js';
import { syntheticCallRecording } from './audio-synthetic-call.js';
import { hangUpCall, later, type CallFollower, type TelephonyEngine } from './telephony-engine.js';
import {
  hangUpCallJob,
  placeCallJob,
  saveVoicemailJob,
  trackingNextJob,
  type CallRef,
} from './telephony.jobs.js';
import { telephonyCalls, type TelephonyCallRow } from './telephony.tables.js';

/**
 * CALLTRACKING10 on an inbound call: Parley picks up, plays the `welcome` media, then forwards the
 * call to the app's targets in turn (each a `forward` leg placed through the carrier, ringing for
 * the target's timeout, presenting the caller's number); the first target that answers is bridged
 * with the caller until either hangs up. When no target answers and the app's voicemail is
 * active, the `intro` media plays and the caller's message is recorded — up to `vms.timeout`
 * seconds — into a new media of the account's library (when `vms.record`); otherwise Parley hangs up.
 * Every wait is a job; every change happens under the inbound call's row lock.
 */

function refOf(row: TelephonyCallRow): CallRef {
  return { accountId: row.accountId, telephonyCallId: row.id };
}

async function optionsOf(db: Db, call: TelephonyCallRow): Promise<CallTracking10Options> {
  const [app] =
    call.voiceAppId === null
      ? []
      : await db
          .select({ options: voiceApps.options })
          .from(voiceApps)
          .where(and(eq(voiceApps.accountId, call.accountId), eq(voiceApps.id, call.voiceAppId)));
  // The app stores normalized options; one edited away or gone reads as the defaults (no target).
  const parsed = callTracking10Schema.safeParse(app?.options ?? {});
  return parsed.success ? parsed.data : callTracking10Schema.parse({});
}

/** How long a prompt of the library plays; 0 for none or one that is not ready. */
async function promptMs(db: Db, accountId: number, mediaId: number): Promise<number> {
  if (mediaId === 0) return 0;
  const media = await findMediaItem(db, accountId, mediaId);
  return media?.status === 'READY' ? media.durationMs : 0;
}

async function lockCall(tx: Db, ref: CallRef): Promise<TelephonyCallRow | undefined> {
  const [row] = await tx
    .select()
    .from(telephonyCalls)
    .where(and(eq(telephonyCalls.accountId, ref.accountId), eq(telephonyCalls.id, ref.telephonyCallId)))
    .for('update');
  return row;
}

function liveLegsOf(tx: Db, parent: TelephonyCallRow) {
  return tx
    .select({ id: telephonyCalls.id })
    .from(telephonyCalls)
    .where(and(eq(telephonyCalls.parentCallId, parent.id), ne(telephonyCalls.status, 'ended')));
}

/** The CALLTRACKING10 side of call events, in the transaction that changed the call. */
export function callTrackingFollower(engine: Pick<TelephonyEngine, 'clock'>): CallFollower {
  return {
    async answered(tx, call) {
      if (call.kind === 'calltracking') {
        const options = await optionsOf(tx, call);
        await enqueue(tx, trackingNextJob, refOf(call), {
          accountId: call.accountId,
          runAt: later(engine, await promptMs(tx, call.accountId, options.medias.welcome)),
        });
      } else if (call.kind === 'forward' && call.parentCallId !== null) {
        const parent = await lockCall(tx, { accountId: call.accountId, telephonyCallId: call.parentCallId });
        // The caller left while the target was ringing: nobody to bridge with.
        if (parent?.status !== 'up') {
          await enqueue(tx, hangUpCallJob, refOf(call), { accountId: call.accountId });
        }
      }
    },
    async ended(tx, call) {
      if (call.kind === 'forward' && call.parentCallId !== null) {
        const parentRef = { accountId: call.accountId, telephonyCallId: call.parentCallId };
        const parent = await lockCall(tx, parentRef);
        if (parent?.status !== 'up') return;
        // A bridged conversation is over when the target hangs up; an unanswered target passes on.
        const next = call.answeredAt === null ? trackingNextJob : hangUpCallJob;
        await enqueue(tx, next, parentRef, { accountId: call.accountId });
      } else if (call.kind === 'calltracking') {
        for (const leg of await liveLegsOf(tx, call)) {
          await enqueue(
            tx,
            hangUpCallJob,
            { accountId: call.accountId, telephonyCallId: leg.id },
            { accountId: call.accountId },
          );
        }
        if (call.voicemailStartedAt !== null) {
          await enqueue(tx, saveVoicemailJob, refOf(call), { accountId: call.accountId });
        }
      }
    },
  };
}

/** The inbound call's next step: dial the next target, else take a voicemail, else hang up. */
export async function nextTrackingStep(engine: TelephonyEngine, ref: CallRef): Promise<void> {
  const hangUp = await engine.db.transaction(async (tx) => {
    const call = await lockCall(tx, ref);
    if (call?.status !== 'up' || call.voicemailStartedAt !== null) return false;
    if ((await liveLegsOf(tx, call)).length > 0) return false;
    const options = await optionsOf(tx, call);
    const target = options.targets[call.attempt];
    if (target) {
      const [leg] = await tx
        .insert(telephonyCalls)
        .values({
          accountId: call.accountId,
          direction: 'OUT',
          kind: 'forward',
          voiceAppId: call.voiceAppId,
          appName: call.appName,
          packageName: call.packageName,
          number: target.number,
          // The target sees who is calling (a withheld caller stays withheld).
          cli: call.cli === '' ? 'BLOCKED' : call.cli,
          ringTimeoutSeconds: target.timeout,
          parentCallId: call.id,
          attempt: call.attempt + 1,
        })
        .returning();
      if (!leg) throw new Error('forward leg insert returned no row');
      await enqueue(tx, placeCallJob, refOf(leg), { accountId: leg.accountId });
      await tx
        .update(telephonyCalls)
        .set({ attempt: call.attempt + 1, updatedAt: sql`now()` })
        .where(eq(telephonyCalls.id, call.id));
      return false;
    }
    if (!options.vms.active) return true;
    // The intro plays, then the caller speaks until they hang up or the voicemail's timeout.
    const recordingFrom = later(engine, await promptMs(tx, call.accountId, options.vms.intro));
    if (options.vms.record) {
      await tx
        .update(telephonyCalls)
        .set({ voicemailStartedAt: recordingFrom, updatedAt: sql`now()` })
        .where(eq(telephonyCalls.id, call.id));
    }
    await enqueue(tx, hangUpCallJob, ref, {
      accountId: call.accountId,
      runAt: options.vms.record
        ? new Date(recordingFrom.getTime() + options.vms.timeout * 1000)
        : recordingFrom,
    });
    return false;
  });
  if (hangUp) await hangUpCall(engine, ref);
}

/** "{DATETIME}-{CALLID}" with the call's facts, times in the voicemail's time zone. */
export function voicemailName(template: string, call: TelephonyCallRow, at: Date, timeZone: string): string {
  // Swedish formatting is ISO-like: "2024-04-24 00:42:42".
  const local = at.toLocaleString('sv-SE', { timeZone, hour12: false });
  const [date = '', time = ''] = local.split(' ');
  const tags: Record<string, string> = {
    DATETIME: `${date.replaceAll('-', '')}${time.replaceAll(':', '')}`,
    DATE: date.replaceAll('-', ''),
    TIME: time.replaceAll(':', ''),
    CALLID: String(call.id),
    CLI: call.cli.replace(/^\+/, ''),
    DID: call.number.replace(/^\+/, ''),
  };
  return template.replace(/\{([A-Z_]+)\}/g, (_tag, name: string) => tags[name] ?? '');
}

/**
 * Saves an ended call's voicemail as a media (RECORDING) of the account. The carrier simulator
 * records nothing, so the audio is a synthetic voice of the message's length. Idempotent: the
 * media is made once (under the row lock) and filled once.
 */
export async function saveVoicemail(
  engine: TelephonyEngine,
  storage: BlobStorage,
  ref: CallRef,
): Promise<void> {
  const prepared = await engine.db.transaction(async (tx) => {
    const call = await lockCall(tx, ref);
    if (!call?.voicemailStartedAt || !call.endedAt) return null;
    const options = await optionsOf(tx, call);
    const seconds = Math.min(
      options.vms.timeout,
      (call.endedAt.getTime() - call.voicemailStartedAt.getTime()) / 1000,
    );
    // The caller hung up during the intro: no message.
    if (seconds < 0.5) return null;
    if (call.voicemailMediaId !== null) return { call, seconds, mediaId: call.voicemailMediaId };
    const name = voicemailName(options.vms.file_name, call, call.voicemailStartedAt, options.vms.timezone);
    const media = await createMediaItem(tx, call.accountId, name || `voicemail-${call.id}`);
    await tx
      .update(telephonyCalls)
      .set({ voicemailMediaId: media.id, updatedAt: sql`now()` })
      .where(eq(telephonyCalls.id, call.id));
    return { call, seconds, mediaId: media.id };
  });
  if (!prepared) return;
  const media = await findMediaItem(engine.db, ref.accountId, prepared.mediaId);
  if (media?.status !== 'PENDING_CONTENT') return;
  const audio = syntheticCallRecording(prepared.seconds, prepared.call.id);
  const blob = await storage.put(
    `media/${ref.accountId}/${prepared.mediaId}/${randomUUID()}.mp3`,
    audio.bytes,
    { contentType: audio.contentType, fileName: `voicemail-${prepared.call.id}.mp3` },
  );
  const applied = await applyMediaContent(engine.db, ref.accountId, prepared.mediaId, {
    blobKey: blob.key,
    sizeBytes: blob.size,
    durationMs: Math.round(audio.durationSeconds * 1000),
    source: 'RECORDING',
    content: '',
    voice: null,
    languages: [],
  });
  if (!applied) await storage.delete(blob.key);
}
