import { z } from 'zod';
import { findVoiceApp, numbersOfApps } from '../../../core/voice-apps/voice-apps.js';
import {
  findClicktocall,
  requestClicktocallCancel,
  startClicktocall,
} from '../../../core/telephony/clicktocall.js';
import {
  checkCli,
  listCdrs,
  listClicktocalls,
  parseBroadcastMessage,
  startBroadcast,
  startRealtimeCall,
} from '../../../core/telephony/start-calls.js';
import { snapshotCdr } from '../../../core/telephony/telephony.events.js';
import type {
  BroadcastMessage,
  ClicktocallCallRow,
  LegStatus,
} from '../../../core/telephony/telephony.tables.js';
import type { VoiceAppRow } from '../../../core/voice-apps/voice-apps.tables.js';
import { toCallrApp, type CallrApp } from '../app.map.js';
import { toCallrCdrIn, toCallrCdrOut } from '../cdr.map.js';
import { callrDateTime, callrDateTimeParam, e164Param, parseCallrDateTime } from '../formats.js';
import { decodeHash, encodeHash } from '../hash-ids.js';
import { invalidParam, RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';

/**
 * Calls (`calls.realtime`, `calls.broadcast_1`, `clicktocall/calls.*`) and call detail records
 * (`cdr.get`). Calls are placed through the telephony core's carrier; `calls.realtime` and
 * `calls.broadcast_1` answer the call's `callid` (the id its RT.Requests and its CDR carry), and
 * `clicktocall/calls.start_2` the request's hash.
 */

const hashParam = z.string().trim().min(1).max(64);

/** CALLR `Target`: an E.164 number and a ring timeout of 5..300 seconds (30 when absent). */
const targetSchema = z.object({
  number: e164Param,
  timeout: z
    .number()
    .int()
    .min(5)
    .max(300)
    .nullish()
    .transform((value) => value ?? 30),
});

/** `cdr_customer_field`: 32 alphanumeric characters at most. */
const cdrFieldSchema = z
  .string()
  .max(32)
  .regex(/^[A-Za-z0-9]*$/, 'must be alphanumeric')
  .nullish()
  .transform((value) => value ?? '');

/** `cli_phone_number`: E.164 or "BLOCKED"; "" or absent for the platform's default. */
const cliSchema = z
  .union([z.literal('BLOCKED'), z.literal(''), e164Param])
  .nullish()
  .transform((value) => value ?? '');

const realtimeOptionsSchema = z
  .object({ cdr_field: cdrFieldSchema, cli: cliSchema })
  .nullish()
  .transform((value) => value ?? { cdr_field: '', cli: '' });

const broadcastOptionsSchema = z
  .object({
    cdr_field: cdrFieldSchema,
    cli: cliSchema,
    // Accepted for compatibility: the simulated carrier has no voicemail to drop into.
    direct_to_voicemail: z.boolean().nullish(),
    loop: z.number().int().min(1).max(10).nullish(),
  })
  .nullish()
  .transform((value) => ({
    cdr_field: value?.cdr_field ?? '',
    cli: value?.cli ?? '',
    loop: value?.loop ?? 1,
  }));

const messagesSchema = z
  .array(z.union([z.string().min(1).max(5000), z.number().int()]))
  .min(1)
  .max(20)
  .transform((messages, context) => {
    const parsed: BroadcastMessage[] = [];
    for (const [index, raw] of messages.entries()) {
      const message = parseBroadcastMessage(raw);
      if (!message) {
        context.addIssue({
          code: 'custom',
          path: [index],
          message: 'expected a media id or "TTS|<voice>|<text>"',
        });
        return z.NEVER;
      }
      parsed.push(message);
    }
    return parsed;
  });

const clicktocallOptionsSchema = z
  .object({ cdr_field: cdrFieldSchema, cli: cliSchema, schedule: z.string().nullish() })
  .nullish()
  .transform((value, context) => {
    const schedule = value?.schedule ? parseCallrDateTime(value.schedule) : null;
    if (value?.schedule && !schedule) {
      context.addIssue({
        code: 'custom',
        path: ['schedule'],
        message: 'expected "YYYY-MM-DD HH:MM:SS" (UTC)',
      });
      return z.NEVER;
    }
    return { cdr_field: value?.cdr_field ?? '', cli: value?.cli ?? '', schedule };
  });

async function appOf(call: RpcCall, hash: string): Promise<VoiceAppRow> {
  const id = decodeHash('app', hash);
  const app = id === null ? null : await findVoiceApp(call.ctx.db, call.access.accountId, id);
  if (!app) throw new RpcError(rpcCodes.notFound, 'App not found');
  return app;
}

async function clicktocallOf(call: RpcCall, hash: string): Promise<ClicktocallCallRow> {
  const id = decodeHash('clicktocall', hash);
  const row = id === null ? null : await findClicktocall(call.ctx.db, call.access.accountId, id);
  if (!row) throw new RpcError(rpcCodes.notFound, 'Call not found');
  return row;
}

/** CALLR `CLICKTOCALL.Call.Status`; a leg not started yet reads as its first target, try 0. */
function statusOf(status: LegStatus | null, firstNumber: string, aborted: boolean): LegStatus {
  if (status) return status;
  return { callid: 0, number: firstNumber, status: aborted ? 'ABORTED' : 'DIALING', try: 0 };
}

/** CALLR `CLICKTOCALL.Call`. */
function toCallrClicktocall(row: ClicktocallCallRow, app: CallrApp | Record<string, never>) {
  const cancelled = row.state === 'cancelled';
  return {
    a_status: statusOf(row.aStatus, row.aTargets[0]?.number ?? '', cancelled),
    a_targets: row.aTargets,
    app,
    b_status: statusOf(row.bStatus, row.bTargets[0]?.number ?? '', cancelled),
    b_targets: row.bTargets,
    cdr_field: row.cdrField,
    cli: row.cli,
    date_creation: callrDateTime(row.createdAt),
    date_scheduled: callrDateTime(row.scheduledAt),
    date_started: row.startedAt ? callrDateTime(row.startedAt) : '',
    date_update: callrDateTime(row.updatedAt),
    hash: encodeHash('clicktocall', row.id),
  };
}

export const callsMethods: RpcMethod[] = [
  defineMethod({
    name: 'calls.realtime',
    aliases: ['dialr/call.realtime'],
    params: [param('app', hashParam), param('target', targetSchema), param('options', realtimeOptionsSchema)],
    handler: async (call, [appHash, target, options]) => {
      const app = await appOf(call, appHash);
      if (app.package !== 'REALTIME10') throw invalidParam(0, 'app', 'must be a REALTIME10 app');
      const row = await startRealtimeCall(call.ctx.db, {
        accountId: call.access.accountId,
        app,
        target,
        cdrField: options.cdr_field,
        cli: options.cli,
      });
      return row.id;
    },
  }),

  defineMethod({
    name: 'calls.broadcast_1',
    aliases: ['sendr/simple.broadcast_1'],
    params: [
      param('target', targetSchema),
      param('messages', messagesSchema),
      param('options', broadcastOptionsSchema),
    ],
    handler: async (call, [target, messages, options]) => {
      const row = await startBroadcast(call.ctx.db, {
        accountId: call.access.accountId,
        target,
        messages,
        loops: options.loop,
        cdrField: options.cdr_field,
        cli: options.cli,
      });
      return row.id;
    },
  }),

  defineMethod({
    name: 'clicktocall/calls.start_2',
    params: [
      param('app', hashParam),
      param('a_targets', z.array(targetSchema).min(1).max(10)),
      param('b_targets', z.array(targetSchema).min(1).max(10)),
      param('options', clicktocallOptionsSchema),
    ],
    handler: async (call, [appHash, aTargets, bTargets, options]) => {
      const app = await appOf(call, appHash);
      if (app.package !== 'CLICKTOCALL10') throw invalidParam(0, 'app', 'must be a CLICKTOCALL10 app');
      await checkCli(call.ctx.db, call.access.accountId, options.cli, 'options.cli');
      const row = await startClicktocall(call.ctx.db, {
        accountId: call.access.accountId,
        app,
        aTargets,
        bTargets,
        cdrField: options.cdr_field,
        cli: options.cli,
        scheduledAt: options.schedule,
      });
      return encodeHash('clicktocall', row.id);
    },
  }),

  defineMethod({
    name: 'clicktocall/calls.cancel',
    params: [param('call_id', hashParam)],
    handler: async (call, [hash]) => {
      const row = await clicktocallOf(call, hash);
      await requestClicktocallCancel(call.ctx.db, call.access.accountId, row.id);
      return true;
    },
  }),

  defineMethod({
    name: 'clicktocall/calls.get_status',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      const row = await clicktocallOf(call, hash);
      // One status for the request: B's once B is being called, A's before.
      return row.bStatus ?? statusOf(row.aStatus, row.aTargets[0]?.number ?? '', row.state === 'cancelled');
    },
  }),

  defineMethod({
    name: 'clicktocall/calls.get_list',
    params: [param('app', hashParam), param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [appHash, from, to]) => {
      const app = await appOf(call, appHash);
      const rows = await listClicktocalls(call.ctx.db, {
        accountId: call.access.accountId,
        appId: app.id,
        from,
        to,
      });
      const numbers = await numbersOfApps(call.ctx.db, call.access.accountId, [app.id]);
      const callrApp = toCallrApp(app, numbers.get(app.id) ?? []);
      return rows.map((row) => toCallrClicktocall(row, callrApp));
    },
  }),

  defineMethod({
    name: 'cdr.get',
    params: [
      param('type', z.enum(['IN', 'OUT'])),
      param('from', callrDateTimeParam),
      param('to', callrDateTimeParam),
      param('app', hashParam.nullish()),
      param('number', e164Param.nullish()),
    ],
    handler: async (call, [type, from, to, appHash, number]) => {
      let appId: number | null = null;
      if (appHash) {
        appId = decodeHash('app', appHash);
        // An app that is not a hash, or another account's, has no calls here: not found.
        if (appId === null || !(await findVoiceApp(call.ctx.db, call.access.accountId, appId))) {
          throw new RpcError(rpcCodes.notFound, 'App not found');
        }
      }
      const rows = await listCdrs(call.ctx.db, {
        accountId: call.access.accountId,
        direction: type,
        from,
        to,
        appId,
        number: number ?? null,
      });
      const snapshots = rows.map(snapshotCdr);
      return type === 'OUT'
        ? snapshots.map((cdr) => toCallrCdrOut(cdr))
        : snapshots.map((cdr) => toCallrCdrIn(cdr));
    },
  }),
];
