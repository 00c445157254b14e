import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { accounts } from '../identity/identity.tables.js';
import { calls } from '../calls/calls.tables.js';
import { mediaItems } from '../media/media.tables.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { voiceApps } from '../voice-apps/voice-apps.tables.js';

/**
 * What placed or answered a call: a REALTIME10 app (either direction), a broadcast, one leg of a
 * click-to-call, an inbound call run by a CALLTRACKING10 or ACTIONS10 app, a CALLTRACKING10
 * forward to one of its targets, or an inbound call refused before any app ran.
 */
export const telephonyCallKinds = [
  'realtime',
  'broadcast',
  'clicktocall',
  'calltracking',
  'actions',
  'forward',
  'rejected',
] as const;
export type TelephonyCallKind = (typeof telephonyCallKinds)[number];

/** `queued` until the carrier accepts it, `dialing` while it rings, `up` once answered, then `ended`. */
export const telephonyCallStatuses = ['queued', 'dialing', 'up', 'ended'] as const;
export type TelephonyCallStatus = (typeof telephonyCallStatuses)[number];

/** CALLR's `CDR.Out.dialstatus` values. */
export const dialStatuses = [
  'ANSWER',
  'BUSY',
  'CANCEL',
  'CHANUNAVAIL',
  'CONGESTION',
  'NOANSWER',
  'NODIAL',
] as const;
export type DialStatus = (typeof dialStatuses)[number];

/** CALLR's `hangupsource` values: the called party, the calling side (the app), or the network. */
export const hangupSources = ['CALLEE', 'CALLER', 'GATEWAY'] as const;
export type HangupSource = (typeof hangupSources)[number];

/** A broadcast message: a media library id, or text to speak with a voice. */
export type BroadcastMessage = { media: number } | { tts: string; voice: string };

/** The last REALTIME10 command run on a call, sent back in the next RT.Request. */
export interface RealtimeLastCommand {
  command: string;
  commandId: unknown;
  result: string;
  error: string;
}

/** A target of a click-to-call leg (CALLR `Target`). */
export interface CallTarget {
  number: string;
  timeout: number;
}

/** CALLR `CLICKTOCALL.Call.Status` as stored: the leg's current call. */
export interface LegStatus {
  callid: number;
  number: string;
  status: 'ABORTED' | 'ANSWER' | 'DIALING' | 'HANGUP' | 'NOANSWER' | 'VOICEMAIL_DETECTED';
  try: number;
}

export const clicktocallStates = [
  'scheduled',
  'calling_a',
  'calling_b',
  'bridged',
  'ended',
  'cancelled',
] as const;
export type ClicktocallState = (typeof clicktocallStates)[number];

/** A click-to-call request: call A (targets in turn), then B, then bridge them. */
export const clicktocallCalls = pgTable(
  'clicktocall_calls',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    voiceAppId: bigint('voice_app_id', { mode: 'number' }).references(() => voiceApps.id, {
      onDelete: 'set null',
    }),
    aTargets: jsonb('a_targets').$type<CallTarget[]>().notNull(),
    bTargets: jsonb('b_targets').$type<CallTarget[]>().notNull(),
    cdrField: text('cdr_field').notNull().default(''),
    cli: text('cli').notNull().default(''),
    state: text('state', { enum: clicktocallStates }).notNull().default('scheduled'),
    aStatus: jsonb('a_status').$type<LegStatus | null>(),
    bStatus: jsonb('b_status').$type<LegStatus | null>(),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('clicktocall_calls_account_idx').on(table.accountId, table.voiceAppId, table.createdAt, table.id),
  ],
);

export type ClicktocallCallRow = typeof clicktocallCalls.$inferSelect;

/**
 * One telephone call placed or received by the telephony core, and its call detail record
 * (CDR): the id is CALLR's `callid`. The row is the call's live state while it runs (carrier
 * reference, REALTIME10 session) and its CDR once `ended`.
 */
export const telephonyCalls = pgTable(
  'telephony_calls',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['IN', 'OUT'] }).notNull(),
    kind: text('kind', { enum: telephonyCallKinds }).notNull(),
    voiceAppId: bigint('voice_app_id', { mode: 'number' }).references(() => voiceApps.id, {
      onDelete: 'set null',
    }),
    /** The app's name and package when the call was made: a CDR keeps them after the app is gone. */
    appName: text('app_name').notNull().default(''),
    packageName: text('package_name').notNull().default(''),
    /** The number dialled (OUT) or the DID called (IN), E.164. */
    number: text('number').notNull(),
    /** The caller id presented: E.164, "BLOCKED", or "" for the platform default. */
    cli: text('cli').notNull().default(''),
    cdrField: text('cdr_field').notNull().default(''),
    ringTimeoutSeconds: integer('ring_timeout_seconds').notNull().default(30),
    status: text('status', { enum: telephonyCallStatuses }).notNull().default('queued'),
    carrierCallId: text('carrier_call_id'),
    dialStatus: text('dial_status', { enum: dialStatuses }),
    hangupCause: integer('hangup_cause').notNull().default(0),
    hangupSource: text('hangup_source', { enum: hangupSources }),
    /** Why the platform ended the call, when it did (the app's URL failed, …); for support. */
    endReason: text('end_reason').notNull().default(''),
    startedAt: timestamp('started_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    durationBilled: integer('duration_billed').notNull().default(0),
    debitCents: doublePrecision('debit_cents').notNull().default(0),
    /** The calls-core row of an answered call. */
    callId: bigint('call_id', { mode: 'number' }).references(() => calls.id, { onDelete: 'set null' }),
    /** Broadcast: what to play, how many times, and how long one pass lasts. */
    messages: jsonb('messages').$type<BroadcastMessage[]>().notNull().default([]),
    loops: integer('loops').notNull().default(1),
    messagesSeconds: doublePrecision('messages_seconds').notNull().default(0),
    /** REALTIME10: the step the session is at (a job for another step is stale), its variables and last command. */
    rtSeq: integer('rt_seq').notNull().default(0),
    rtVariables: jsonb('rt_variables').$type<Record<string, unknown>>().notNull().default({}),
    rtLast: jsonb('rt_last').$type<RealtimeLastCommand | null>(),
    /** Click-to-call: the request this leg belongs to, which leg, and which attempt. */
    clicktocallId: bigint('clicktocall_id', { mode: 'number' }).references(() => clicktocallCalls.id, {
      onDelete: 'cascade',
    }),
    leg: text('leg', { enum: ['A', 'B'] }),
    attempt: integer('attempt').notNull().default(1),
    /** Inbound: the DID called (its row; `number` keeps the E.164 after the number changes hands). */
    didId: bigint('did_id', { mode: 'number' }).references(() => phoneNumbers.id, { onDelete: 'set null' }),
    /** CALLTRACKING10: a forward leg's inbound call. */
    parentCallId: bigint('parent_call_id', { mode: 'number' }).references(
      (): AnyPgColumn => telephonyCalls.id,
      { onDelete: 'cascade' },
    ),
    /** CALLTRACKING10: when the caller started leaving a voicemail, and the media it was saved to. */
    voicemailStartedAt: timestamp('voicemail_started_at', { withTimezone: true }),
    voicemailMediaId: bigint('voicemail_media_id', { mode: 'number' }).references(() => mediaItems.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // cdr.get: one account's records of one direction in a time range, in order.
    index('telephony_calls_cdr_idx').on(table.accountId, table.direction, table.startedAt, table.id),
    uniqueIndex('telephony_calls_carrier_idx').on(table.carrierCallId),
    index('telephony_calls_clicktocall_idx')
      .on(table.clicktocallId)
      .where(sql`${table.clicktocallId} IS NOT NULL`),
    index('telephony_calls_parent_idx')
      .on(table.parentCallId)
      .where(sql`${table.parentCallId} IS NOT NULL`),
  ],
);

export type TelephonyCallRow = typeof telephonyCalls.$inferSelect;
