import { z } from 'zod';
import { historySteps, type AnalyticsRange } from '../../../core/call-analytics/analytics-range.js';
import {
  callHistory,
  callsByApp,
  callsByCountry,
  callsByDestination,
  callsByDid,
  summarizeCalls,
  type CallFigures,
} from '../../../core/call-analytics/call-analytics.js';
import { destinationOf } from '../../../core/call-analytics/number-destinations.js';
import { smsHistory, summarizeSms, type SmsFigures } from '../../../core/call-analytics/sms-analytics.js';
import { callrAmount4, callrDateTimeParam } from '../formats.js';
import { encodeHash } from '../hash-ids.js';
import { invalidParam } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';

/**
 * CALLR's `Analytics.*` objects, computed from the account's CDRs and SMS by aggregates in the
 * database. Ranges are "YYYY-MM-DD HH:MM:SS" UTC, inclusive, on the call's start (the SMS's
 * creation); histories are bucketed by `step` (DAY unless given).
 */

const typeParam = param('type', z.enum(['IN', 'OUT']));
const stepParam = z
  .enum(historySteps)
  .nullish()
  .transform((step) => step ?? 'DAY');

/** `from` then `to`, at `index` and `index + 1`; a range that ends before it starts names `to`. */
function rangeOf(index: number, from: Date, to: Date): AnalyticsRange {
  if (to < from) throw invalidParam(index + 1, 'to', 'is before from');
  return { from, to };
}

/** The fields every `Analytics.Calls.*` object has. Parley credits nothing back on calls. */
function callFields(figures: CallFigures) {
  return {
    aloc: figures.answered === 0 ? 0 : Math.round(figures.durationSeconds / figures.answered),
    count: figures.count,
    credit: callrAmount4(0),
    debit: callrAmount4(figures.debitCents),
    duration: figures.durationSeconds,
  };
}

/** `Analytics.SMS.Summary.OUT` / `Analytics.SMS.History.OUT`; inbound SMS are shown the same way. */
function smsFields(figures: SmsFigures) {
  return {
    count: figures.count,
    credit: callrAmount4(0),
    debit: callrAmount4(figures.debitCents),
    parts: figures.parts,
  };
}

const callMethods: RpcMethod[] = [
  defineMethod({
    name: 'analytics/calls.summary',
    params: [param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [from, to]) => {
      const summary = await summarizeCalls(call.ctx.db, call.access.accountId, rangeOf(0, from, to));
      return {
        IN: { ...callFields(summary.IN), unique_callers: summary.IN.uniqueCallers },
        OUT: callFields(summary.OUT),
      };
    },
  }),
  defineMethod({
    name: 'analytics/calls.history',
    params: [param('from', callrDateTimeParam), param('to', callrDateTimeParam), param('step', stepParam)],
    handler: async (call, [from, to, step]) => {
      const history = await callHistory(call.ctx.db, call.access.accountId, rangeOf(0, from, to), step);
      const calls = (rows: typeof history.IN) => rows.map((row) => ({ ...callFields(row), date: row.date }));
      return { IN: calls(history.IN), OUT: calls(history.OUT) };
    },
  }),
  defineMethod({
    name: 'analytics/calls.by_app',
    params: [typeParam, param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [direction, from, to]) => {
      const query = { accountId: call.access.accountId, direction, range: rangeOf(1, from, to) };
      const rows = await callsByApp(call.ctx.db, query);
      return rows.map((row) => ({
        ...callFields(row),
        hash: row.appId === null ? '' : encodeHash('app', row.appId),
      }));
    },
  }),
  defineMethod({
    name: 'analytics/calls.by_country',
    params: [typeParam, param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [direction, from, to]) => {
      const query = { accountId: call.access.accountId, direction, range: rangeOf(1, from, to) };
      const rows = await callsByCountry(call.ctx.db, query);
      return rows.map((row) => ({ ...callFields(row), country_code: row.countryCode }));
    },
  }),
  defineMethod({
    name: 'analytics/calls.by_destination',
    params: [typeParam, param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [direction, from, to]) => {
      const query = { accountId: call.access.accountId, direction, range: rangeOf(1, from, to) };
      const rows = await callsByDestination(call.ctx.db, query);
      return rows.map((row) => ({ ...callFields(row), billing_label: row.billingLabel }));
    },
  }),
  defineMethod({
    name: 'analytics/calls.by_did',
    params: [typeParam, param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [direction, from, to]) => {
      const query = { accountId: call.access.accountId, direction, range: rangeOf(1, from, to) };
      const rows = await callsByDid(call.ctx.db, query);
      return rows.map((row) => ({
        ...callFields(row),
        billing_label: destinationOf(row.number).billingLabel,
        hash: encodeHash('did', row.didId),
        intl: row.number,
      }));
    },
  }),
];

const smsMethods: RpcMethod[] = [
  defineMethod({
    name: 'analytics/sms.summary',
    params: [param('from', callrDateTimeParam), param('to', callrDateTimeParam)],
    handler: async (call, [from, to]) => {
      const summary = await summarizeSms(call.ctx.db, call.access.accountId, rangeOf(0, from, to));
      return { IN: smsFields(summary.IN), OUT: smsFields(summary.OUT) };
    },
  }),
  defineMethod({
    name: 'analytics/sms.history',
    params: [param('from', callrDateTimeParam), param('to', callrDateTimeParam), param('step', stepParam)],
    handler: async (call, [from, to, step]) => {
      const history = await smsHistory(call.ctx.db, call.access.accountId, rangeOf(0, from, to), step);
      const sms = (rows: typeof history.IN) => rows.map((row) => ({ ...smsFields(row), date: row.date }));
      return { IN: sms(history.IN), OUT: sms(history.OUT) };
    },
  }),
];

/** Call and SMS analytics (the seed's `Analytics.*` objects, which no SDK method names). */
export const analyticsMethods: RpcMethod[] = [...callMethods, ...smsMethods];
