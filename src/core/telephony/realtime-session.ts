import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { enqueue } from '../../platform/jobs/index.js';
import { isOutboundError } from '../../platform/outbound/guarded-fetch.js';
import type { Db } from '../../platform/db/database.js';
import { findMediaItem } from '../media/media-items.js';
import { actions10Schema } from '../voice-apps/voice-app-options.js';
import { voiceApps } from '../voice-apps/voice-apps.tables.js';
import { parseActionsScript } from './actions-script.js';
import { measureSpeechSeconds } from './speech-duration.js';
import { appHungUp, endCall, hangUpCall, later, type TelephonyEngine } from './telephony-engine.js';
import { realtimeStepJob, type RealtimeStep } from './telephony.jobs.js';
import {
  telephonyCalls,
  type DialStatus,
  type RealtimeLastCommand,
  type TelephonyCallRow,
} from './telephony.tables.js';

/**
 * A REALTIME10 call: on answer, Parley POSTs an `RT.Request` to the app's URL and obeys the
 * `RT.Response` (within 5 seconds); each command's result goes back in the next request, until the
 * app says `hangup` or the callee hangs up (then one last request with `call_status` HANGUP).
 * Each exchange is one durable job; a command that lasts (wait, say, play) schedules the next one.
 *
 * Commands understood (the seed names no command list; this is Parley's documented subset):
 * - `hangup` — ends the call (CDR hangupsource CALLER);
 * - `wait` `{seconds}` — holds the line 0.1..300 s, result "OK";
 * - `say` `{text, voice?}` — speaks the text (espeak-ng; the line is held for the speech's measured
 *   length), result "OK";
 * - `play` `{media_id}` — plays a READY media of the library (held for its duration), result "OK".
 * Anything else answers `command_error` "Unknown command"; a failed command is asked again after a second.
 */

export type RealtimeCallStatus = 'BUSY' | 'CONGESTION' | 'HANGUP' | 'NOANSWER' | 'REJECTED' | 'UP';

/** CALLR `RT.Request`, field for field. */
export interface RealtimeRequest {
  app: string;
  call_status: RealtimeCallStatus;
  callid: number;
  cdr_field: string;
  cli_name: string;
  cli_number: string;
  command: string;
  command_error: string;
  command_id: unknown;
  command_result: string;
  date_started: string;
  number: string;
  request_hash: string;
  variables: Record<string, unknown>;
}

/** CALLR `RT.Response`; `params` and `variables` may be absent. */
export const realtimeResponseSchema = z.object({
  command: z.string(),
  command_id: z.unknown().optional(),
  params: z.record(z.string(), z.unknown()).nullish(),
  variables: z.record(z.string(), z.unknown()).nullish(),
});
export type RealtimeResponse = z.infer<typeof realtimeResponseSchema>;

/** A REALTIME10 app's options (the seed's `REALTIME10` object). */
const realtimeOptionsSchema = z.object({
  url: z.string(),
  login: z.string().nullish(),
  password: z.string().nullish(),
});

/** A session stops asking after this many exchanges: a runaway app cannot hold a line forever. */
export const MAX_REALTIME_STEPS = 500;
const RETRY_UNKNOWN_MS = 1000;

const finalStatuses: Record<DialStatus, RealtimeCallStatus> = {
  ANSWER: 'HANGUP',
  BUSY: 'BUSY',
  CANCEL: 'HANGUP',
  CHANUNAVAIL: 'REJECTED',
  CONGESTION: 'CONGESTION',
  NOANSWER: 'NOANSWER',
  NODIAL: 'CONGESTION',
};

export function buildRealtimeRequest(
  engine: TelephonyEngine,
  row: TelephonyCallRow,
  status: RealtimeCallStatus,
): RealtimeRequest {
  const last = row.rtLast;
  return {
    app: engine.codec.appRef(row.voiceAppId),
    call_status: status,
    callid: row.id,
    cdr_field: row.cdrField,
    cli_name: '',
    cli_number: row.cli === 'BLOCKED' ? '' : row.cli,
    command: last?.command ?? '',
    command_error: last?.error ?? '',
    command_id: last?.commandId ?? 0,
    command_result: last?.result ?? '',
    date_started: engine.codec.dateTime(row.startedAt ?? row.createdAt),
    number: row.number,
    request_hash: engine.codec.requestRef(row.id),
    variables: row.rtVariables,
  };
}

/** What a command does to the call: end it, or hold it for a while and report a result. */
type CommandPlan = { hangup: true } | { hangup: false; delayMs: number; result: string; error: string };

const numberParam = z.coerce.number();

/** A failed command is asked again after a pause: an app that keeps failing cannot spin. */
function delayOf(plan: { delayMs: number; error: string }): number {
  return plan.error === '' ? plan.delayMs : Math.max(plan.delayMs, RETRY_UNKNOWN_MS);
}

export async function planCommand(
  db: Db,
  accountId: number,
  response: RealtimeResponse,
): Promise<CommandPlan> {
  const params = response.params ?? {};
  switch (response.command) {
    case 'hangup':
      return { hangup: true };
    case 'wait': {
      const seconds = numberParam.safeParse(params.seconds ?? params.duration);
      if (!seconds.success || seconds.data < 0.1 || seconds.data > 300) {
        return {
          hangup: false,
          delayMs: 0,
          result: '',
          error: 'params.seconds must be a number between 0.1 and 300',
        };
      }
      return { hangup: false, delayMs: Math.round(seconds.data * 1000), result: 'OK', error: '' };
    }
    case 'say': {
      const text = typeof params.text === 'string' ? params.text.trim() : '';
      if (text === '' || text.length > 2000) {
        return { hangup: false, delayMs: 0, result: '', error: 'params.text must be 1 to 2000 characters' };
      }
      const voice = typeof params.voice === 'string' ? params.voice : 'en';
      try {
        const seconds = await measureSpeechSeconds(text, voice);
        return { hangup: false, delayMs: Math.round(seconds * 1000), result: 'OK', error: '' };
      } catch (error) {
        return { hangup: false, delayMs: 0, result: '', error: `TTS failed: ${(error as Error).message}` };
      }
    }
    case 'play': {
      const mediaId = numberParam.safeParse(params.media_id);
      const media = mediaId.success ? await findMediaItem(db, accountId, mediaId.data) : null;
      if (media?.status !== 'READY') {
        return {
          hangup: false,
          delayMs: 0,
          result: '',
          error: 'params.media_id is not a ready media of the library',
        };
      }
      return { hangup: false, delayMs: media.durationMs, result: 'OK', error: '' };
    }
    default:
      return {
        hangup: false,
        delayMs: RETRY_UNKNOWN_MS,
        result: '',
        error: `Unknown command '${response.command}'`,
      };
  }
}

async function postToApp(
  engine: TelephonyEngine,
  options: z.infer<typeof realtimeOptionsSchema>,
  request: RealtimeRequest,
  signal: AbortSignal,
): Promise<RealtimeResponse> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Parley-Realtime/1.0',
  };
  if (options.login) {
    const credentials = Buffer.from(`${options.login}:${options.password ?? ''}`).toString('base64');
    headers.authorization = `Basic ${credentials}`;
  }
  const response = await engine.outbound.send({
    method: 'POST',
    url: options.url,
    headers,
    body: JSON.stringify(request),
    signal,
  });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`the app's URL answered HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new Error("the app's answer is not JSON");
  }
  const parsed = realtimeResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new Error(`the app's answer is not an RT.Response: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

function describe(error: unknown): string {
  if (isOutboundError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** What the REALTIME10 app answers to the call being up, or why it could not be asked. */
async function askApp(
  engine: TelephonyEngine,
  row: TelephonyCallRow,
  appOptions: unknown,
  signal: AbortSignal,
): Promise<RealtimeResponse | { failure: string }> {
  const options = realtimeOptionsSchema.safeParse(appOptions ?? {});
  if (!options.success) return { failure: 'The app has no URL' };
  try {
    return await postToApp(engine, options.data, buildRealtimeRequest(engine, row, 'UP'), signal);
  } catch (error) {
    return { failure: `RT.Request failed: ${describe(error)}`.slice(0, 500) };
  }
}

/** ACTIONS10: step `seq` (1 once answered) runs the script's action `seq`; after the last, hang up. */
function scriptedAction(appOptions: unknown, seq: number): RealtimeResponse | { failure: string } {
  const options = actions10Schema.safeParse(appOptions ?? {});
  if (!options.success) return { failure: 'The app has no script' };
  const script = parseActionsScript(options.data.script);
  if (!script.ok) return { failure: `The script cannot run: ${script.error}`.slice(0, 500) };
  return script.actions[seq - 1] ?? { command: 'hangup', command_id: 0 };
}

/** One exchange with the app (or one ACTIONS10 action): the step's job. A stale step (the call moved on) does nothing. */
export async function runRealtimeStep(
  engine: TelephonyEngine,
  step: RealtimeStep,
  signal: AbortSignal,
): Promise<void> {
  const [found] = await engine.db
    .select({ call: telephonyCalls, appOptions: voiceApps.options })
    .from(telephonyCalls)
    .leftJoin(
      voiceApps,
      and(eq(voiceApps.id, telephonyCalls.voiceAppId), eq(voiceApps.accountId, telephonyCalls.accountId)),
    )
    .where(and(eq(telephonyCalls.accountId, step.accountId), eq(telephonyCalls.id, step.telephonyCallId)));
  if (!found || found.call.rtSeq !== step.seq) return;
  const row = found.call;
  if (row.status === 'ended') {
    // The last notice: what the app answers no longer matters. A failed delivery fails the job,
    // which tries once more (a reused connection the app's server just closed, …).
    const options = realtimeOptionsSchema.safeParse(found.appOptions ?? {});
    if (row.kind !== 'realtime' || !options.success || row.dialStatus === null) return;
    const request = buildRealtimeRequest(engine, row, finalStatuses[row.dialStatus]);
    await postToApp(engine, options.data, request, signal);
    return;
  }
  if (row.status !== 'up') return;
  if (step.seq > MAX_REALTIME_STEPS) {
    await hangUpCall(engine, step, {
      ...appHungUp,
      hangupSource: 'GATEWAY',
      endReason: 'Too many exchanges',
    });
    return;
  }
  const response =
    row.kind === 'actions'
      ? scriptedAction(found.appOptions, step.seq)
      : await askApp(engine, row, found.appOptions, signal);
  if ('failure' in response) {
    await hangUpCall(engine, step, { ...appHungUp, hangupSource: 'GATEWAY', endReason: response.failure });
    return;
  }
  const plan = await planCommand(engine.db, row.accountId, response);
  const last: RealtimeLastCommand = {
    command: response.command,
    commandId: response.command_id ?? 0,
    result: plan.hangup ? 'OK' : plan.result,
    error: plan.hangup ? '' : plan.error,
  };
  const variables = response.variables ?? row.rtVariables;
  const stillOurs = await engine.db.transaction(async (tx) => {
    const nextSeq = step.seq + 1;
    const updated = await tx
      .update(telephonyCalls)
      .set({ rtVariables: variables, rtLast: last, rtSeq: nextSeq, updatedAt: sql`now()` })
      .where(
        and(
          eq(telephonyCalls.id, row.id),
          eq(telephonyCalls.rtSeq, step.seq),
          eq(telephonyCalls.status, 'up'),
        ),
      )
      .returning({ id: telephonyCalls.id });
    // The callee hung up while the app was answering: its final notice is already queued.
    if (updated.length === 0) return false;
    if (!plan.hangup) {
      await enqueue(
        tx,
        realtimeStepJob,
        { ...step, seq: nextSeq },
        { accountId: step.accountId, runAt: later(engine, delayOf(plan)) },
      );
    }
    return true;
  });
  if (stillOurs && plan.hangup) {
    if (row.carrierCallId) await engine.placer.hangUp(row.carrierCallId);
    await endCall(engine, step, appHungUp);
  }
}
