import { z } from 'zod';
import { createAddressPolicy } from '../../../platform/outbound/address-policy.js';
import { assertDeliverableUrl } from '../../../core/webhooks/deliverable-url.js';
import { isAdministrator } from '../../../core/identity/principal.js';
import { decodeHash } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { callrDateTimeParam } from '../formats.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';
import { callrEventTypes, isCallrEventType } from '../webhook-event-types.js';
import { callrLogStatuses, searchCallrWebhookLog, type CallrLogFilters } from '../webhook-log.js';
import { eventRowIdOf } from '../webhook-render.js';
import { callrHmacAlgos } from '../webhook-signing.js';
import {
  findCallrWebhook,
  listCallrWebhooks,
  setCallrWebhookEnabled,
  subscribeCallrWebhook,
  unsubscribeCallrWebhook,
  updateCallrWebhook,
} from '../webhook-store.js';
import { toCallrWebhook } from '../webhook-subscription.map.js';

const typeParam = z
  .string()
  .refine(isCallrEventType, { message: 'unknown webhook type; see webhooks.get_event_types()' });
const endpointParam = z.string().trim().min(1).max(2000);
const hashParam = z.string().min(1).max(64);

/** `Webhook.Options`: format "JSON" only; hmac_algo MD5 | SHA1 | SHA256 (default) | SHA512; secret 8..1024. */
const optionsParam = z
  .strictObject({
    format: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.literal('JSON', { message: 'only "JSON" is supported' }))
      .nullish(),
    hmac_algo: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(z.enum(callrHmacAlgos, { message: 'expected "MD5", "SHA1", "SHA256" or "SHA512"' }))
      .nullish(),
    hmac_secret: z.string().min(8).max(1024).nullish(),
  })
  .nullish();

type OptionsValue = z.output<typeof optionsParam>;

function optionsInput(options: OptionsValue) {
  return {
    format: options?.format ?? undefined,
    hmac_algo: options?.hmac_algo ?? undefined,
    hmac_secret: options?.hmac_secret ?? undefined,
  };
}

/** `Webhook.Log.Search.Filters`; every field optional. */
const logFiltersParam = z
  .strictObject({
    endpoint: z.string().max(2000).nullish(),
    event_date: callrDateTimeParam.nullish(),
    event_id: z.string().max(64).nullish(),
    hook_hash: z.string().max(64).nullish(),
    http_code: z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(z.string().regex(/^\d{3}$/, 'expected an HTTP status such as "200"'))
      .nullish(),
    status: z.enum(callrLogStatuses).nullish(),
    try: z.number().int().min(0).max(9).nullish(),
    type: z.string().max(100).nullish(),
  })
  .nullish();

const pagingParam = z
  .strictObject({
    offset: z.number().int().min(0).max(1_000_000).nullish(),
    limit: z.number().int().min(1).max(500).nullish(),
  })
  .nullish();

/**
 * Webhooks send the account's data to a URL of the caller's choosing and hold signing secrets:
 * administrators only, as in the native and Dixa faces.
 */
function requireAdministrator(call: RpcCall): void {
  if (!isAdministrator(call.access)) {
    throw new RpcError(rpcCodes.forbidden, 'Managing webhooks needs the administrator role');
  }
}

async function checkEndpoint(call: RpcCall, endpoint: string): Promise<void> {
  // Refused now rather than failing silently later: the delivery guard's own address rules.
  const policy = createAddressPolicy(call.ctx.config.PARLEY_OUTBOUND_ALLOWLIST);
  await assertDeliverableUrl(endpoint, { policy, field: 'endpoint' });
}

/** Filters that cannot match anything (a hash or event id not of ours) end the search early. */
function logFilters(filters: z.output<typeof logFiltersParam>): CallrLogFilters | null {
  if (!filters) return {};
  const subscriptionId = filters.hook_hash ? decodeHash('webhook', filters.hook_hash) : undefined;
  const eventRowId = filters.event_id ? eventRowIdOf(filters.event_id) : undefined;
  if (subscriptionId === null || eventRowId === null) return null;
  const date = filters.event_date;
  const eventDay = date
    ? new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()))
    : undefined;
  return {
    subscriptionId,
    eventRowId,
    eventDay,
    type: filters.type ?? undefined,
    endpoint: filters.endpoint ?? undefined,
    httpCode: filters.http_code ? Number(filters.http_code) : undefined,
    status: filters.status ?? undefined,
    try: filters.try ?? undefined,
  };
}

/**
 * CALLR webhooks on the shared engine. `webhooks.subscribe` and `webhooks.get_event_types` are
 * CALLR's (callr.methods.md); `webhooks.unsubscribe(hash)` is what CALLR integrations call; the
 * rest (`get`, `get_list`, `update`, `enable`, `disable`, `webhooks/log.search`) are named in the
 * same style for what the objects imply (a status a client can switch, a searchable log).
 */
export const webhooksMethods: RpcMethod[] = [
  defineMethod({
    name: 'webhooks.subscribe',
    params: [param('type', typeParam), param('endpoint', endpointParam), param('options', optionsParam)],
    handler: async (call, [type, endpoint, options]) => {
      requireAdministrator(call);
      await checkEndpoint(call, endpoint);
      const row = await subscribeCallrWebhook(call.ctx.db, {
        accountId: call.access.accountId,
        type,
        endpoint,
        options: optionsInput(options),
      });
      return toCallrWebhook(row);
    },
  }),
  defineMethod({
    name: 'webhooks.get_event_types',
    params: [],
    handler: () => Promise.resolve(callrEventTypes.map((entry) => entry.type)),
  }),
  defineMethod({
    name: 'webhooks.get_list',
    params: [param('type', typeParam.nullish())],
    handler: async (call, [type]) => {
      requireAdministrator(call);
      const rows = await listCallrWebhooks(call.ctx.db, call.access.accountId, type ?? undefined);
      return rows.map(toCallrWebhook);
    },
  }),
  defineMethod({
    name: 'webhooks.get',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      requireAdministrator(call);
      return toCallrWebhook(await findCallrWebhook(call.ctx.db, call.access.accountId, hash));
    },
  }),
  defineMethod({
    name: 'webhooks.update',
    params: [
      param('hash', hashParam),
      param('endpoint', endpointParam.nullish()),
      param('options', optionsParam),
    ],
    handler: async (call, [hash, endpoint, options]) => {
      requireAdministrator(call);
      const row = await findCallrWebhook(call.ctx.db, call.access.accountId, hash);
      if (endpoint) await checkEndpoint(call, endpoint);
      const updated = await updateCallrWebhook(call.ctx.db, row, {
        endpoint: endpoint ?? undefined,
        options: options ? optionsInput(options) : undefined,
      });
      return toCallrWebhook(updated);
    },
  }),
  defineMethod({
    name: 'webhooks.enable',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      requireAdministrator(call);
      const row = await findCallrWebhook(call.ctx.db, call.access.accountId, hash);
      return toCallrWebhook(await setCallrWebhookEnabled(call.ctx.db, row, true));
    },
  }),
  defineMethod({
    name: 'webhooks.disable',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      requireAdministrator(call);
      const row = await findCallrWebhook(call.ctx.db, call.access.accountId, hash);
      return toCallrWebhook(await setCallrWebhookEnabled(call.ctx.db, row, false));
    },
  }),
  defineMethod({
    name: 'webhooks.unsubscribe',
    params: [param('hash', hashParam)],
    handler: async (call, [hash]) => {
      requireAdministrator(call);
      const row = await findCallrWebhook(call.ctx.db, call.access.accountId, hash);
      await unsubscribeCallrWebhook(call.ctx.db, row);
      return true;
    },
  }),
  defineMethod({
    name: 'webhooks/log.search',
    params: [param('filters', logFiltersParam), param('paging', pagingParam)],
    handler: async (call, [filters, paging]) => {
      requireAdministrator(call);
      const parsed = logFilters(filters);
      if (!parsed) return [];
      return searchCallrWebhookLog(call.ctx.db, {
        accountId: call.access.accountId,
        filters: parsed,
        offset: paging?.offset ?? 0,
        limit: paging?.limit ?? 100,
      });
    },
  }),
];
