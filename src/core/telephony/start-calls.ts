import { and, asc, between, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs/index.js';
import { refuseBelowShutdown } from '../billing/credit.js';
import { findMediaItem } from '../media/media-items.js';
import { mayPresentCli } from '../voice-apps/authorized-clis.js';
import type { VoiceAppRow } from '../voice-apps/voice-apps.tables.js';
import { measureSpeechSeconds, SpeechUnavailableError } from './speech-duration.js';
import { placeCallJob } from './telephony.jobs.js';
import {
  clicktocallCalls,
  telephonyCalls,
  type BroadcastMessage,
  type CallTarget,
  type ClicktocallCallRow,
  type TelephonyCallRow,
} from './telephony.tables.js';

/** What every outbound call request carries (CALLR `Target` and the call options). */
export interface OutboundCallInput {
  accountId: number;
  target: CallTarget;
  cdrField: string;
  /** "" for the platform default, "BLOCKED", or an E.164 number the account may present. */
  cli: string;
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${path} ${message}`, [{ path, message }]);
}

/** A CLI must be "BLOCKED", one of the account's DIDs or an authorized number. */
export async function checkCli(db: Db, accountId: number, cli: string, path: string): Promise<void> {
  if (cli === '' || (await mayPresentCli(db, accountId, cli))) return;
  throw invalid(path, `"${cli}" is neither BLOCKED, a DID of the account, nor an authorized CLI`);
}

async function queueCall(db: Db, values: typeof telephonyCalls.$inferInsert): Promise<TelephonyCallRow> {
  return db.transaction(async (tx) => {
    await refuseBelowShutdown(tx, values.accountId);
    const [row] = await tx.insert(telephonyCalls).values(values).returning();
    if (!row) throw new Error('call insert returned no row');
    await enqueue(
      tx,
      placeCallJob,
      { accountId: row.accountId, telephonyCallId: row.id },
      {
        accountId: row.accountId,
      },
    );
    return row;
  });
}

/** A REALTIME10 call: dialled at once; on answer the app's URL drives it. */
export async function startRealtimeCall(
  db: Db,
  input: OutboundCallInput & { app: VoiceAppRow },
): Promise<TelephonyCallRow> {
  if (input.app.package !== 'REALTIME10') throw invalid('app', 'must be a REALTIME10 app');
  const url = input.app.options.url;
  if (typeof url !== 'string' || url === '') throw invalid('app', 'has no url to call');
  await checkCli(db, input.accountId, input.cli, 'options.cli');
  return queueCall(db, {
    accountId: input.accountId,
    direction: 'OUT',
    kind: 'realtime',
    voiceAppId: input.app.id,
    appName: input.app.name,
    packageName: input.app.package,
    number: input.target.number,
    cli: input.cli,
    cdrField: input.cdrField,
    ringTimeoutSeconds: input.target.timeout,
  });
}

/** "TTS|<voice>|<text>", or a media id (a number, or its digits as a string). */
export function parseBroadcastMessage(raw: string | number): BroadcastMessage | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw > 0 ? { media: raw } : null;
  if (/^\d+$/.test(raw.trim())) return { media: Number(raw.trim()) };
  const match = /^TTS\|([^|]*)\|([\s\S]+)$/.exec(raw);
  if (!match?.[2]?.trim()) return null;
  return { voice: match[1] ?? '', tts: match[2] };
}

/** How long one pass of the messages lasts: media durations as stored, TTS as really spoken. */
async function messagesSeconds(db: Db, accountId: number, messages: BroadcastMessage[]): Promise<number> {
  let total = 0;
  for (const [index, message] of messages.entries()) {
    if ('media' in message) {
      const media = await findMediaItem(db, accountId, message.media);
      if (media?.status !== 'READY')
        throw invalid(`messages[${index}]`, `media ${message.media} is not a ready media`);
      total += media.durationMs / 1000;
    } else {
      try {
        total += await measureSpeechSeconds(message.tts, message.voice);
      } catch (error) {
        if (error instanceof SpeechUnavailableError) {
          throw new DomainError('UNAVAILABLE', `Text-to-speech is unavailable: ${error.message}`);
        }
        throw error;
      }
    }
  }
  return total;
}

/** A broadcast: dial, play the messages `loops` times once answered, hang up. */
export async function startBroadcast(
  db: Db,
  input: OutboundCallInput & { messages: BroadcastMessage[]; loops: number },
): Promise<TelephonyCallRow> {
  await checkCli(db, input.accountId, input.cli, 'options.cli');
  const seconds = await messagesSeconds(db, input.accountId, input.messages);
  return queueCall(db, {
    accountId: input.accountId,
    direction: 'OUT',
    kind: 'broadcast',
    packageName: 'BROADCAST',
    number: input.target.number,
    cli: input.cli,
    cdrField: input.cdrField,
    ringTimeoutSeconds: input.target.timeout,
    messages: input.messages,
    loops: input.loops,
    messagesSeconds: seconds,
  });
}

/** A bounded answer: CALLR's `cdr.get` has no paging, so a range is capped. */
export const MAX_CDR_ROWS = 10_000;

export interface CdrQuery {
  accountId: number;
  direction: 'IN' | 'OUT';
  from: Date;
  to: Date;
  appId?: number | null;
  number?: string | null;
}

/** Ended calls of one direction started within [from, to], oldest first (one indexed query). */
export function listCdrs(db: Db, query: CdrQuery): Promise<TelephonyCallRow[]> {
  return db
    .select()
    .from(telephonyCalls)
    .where(
      and(
        eq(telephonyCalls.accountId, query.accountId),
        eq(telephonyCalls.direction, query.direction),
        between(telephonyCalls.startedAt, query.from, query.to),
        eq(telephonyCalls.status, 'ended'),
        query.appId == null ? undefined : eq(telephonyCalls.voiceAppId, query.appId),
        query.number == null ? undefined : eq(telephonyCalls.number, query.number),
      ),
    )
    .orderBy(asc(telephonyCalls.startedAt), asc(telephonyCalls.id))
    .limit(MAX_CDR_ROWS);
}

export const MAX_CLICKTOCALL_ROWS = 1000;

/** An app's click-to-call requests created within [from, to], oldest first. */
export function listClicktocalls(
  db: Db,
  query: { accountId: number; appId: number; from: Date; to: Date },
): Promise<ClicktocallCallRow[]> {
  return db
    .select()
    .from(clicktocallCalls)
    .where(
      and(
        eq(clicktocallCalls.accountId, query.accountId),
        eq(clicktocallCalls.voiceAppId, query.appId),
        gte(clicktocallCalls.createdAt, query.from),
        lte(clicktocallCalls.createdAt, query.to),
      ),
    )
    .orderBy(asc(clicktocallCalls.createdAt), asc(clicktocallCalls.id))
    .limit(MAX_CLICKTOCALL_ROWS);
}
