import { z } from 'zod';
import { sendSms } from '../../../core/sms/send-sms.js';
import { findSms, listSms } from '../../../core/sms/sms-queries.js';
import { getSmsSettings, updateSmsSettings, type SmsSettings } from '../../../core/sms/sms-settings.js';
import { smsSnapshotOf } from '../../../core/sms/sms-snapshot.js';
import { callrDateTimeParam, e164Param } from '../formats.js';
import { decodeHash, encodeHash } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { toCallrSms } from '../sms.map.js';

/** `SMS.Options`; unknown keys are refused so a typo does not pass silently. */
const smsOptions = z.strictObject({
  flash_message: z.boolean().nullish(),
  force_encoding: z.enum(['GSM', 'UNICODE']).nullish(),
  nature: z.enum(['ALERTING', 'MARKETING']).nullish(),
  user_data: z
    .string()
    .regex(/^[A-Za-z0-9]{0,32}$/, 'expected at most 32 alphanumeric characters (cdr_customer_field)')
    .nullish(),
  /** A dynamic webhook (`Webhook`): only `endpoint` and optionally `options` are read. */
  webhook: z
    .object({
      endpoint: z.url({ protocol: /^https?$/ }),
      options: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
});
type SmsOptions = z.output<typeof smsOptions>;

/** The options as shown back in `SMS.options`: the keys the client set, nulls left out. */
function shownOptions(options: SmsOptions | null | undefined): Record<string, unknown> {
  if (!options) return {};
  const entries: [string, unknown][] = Object.entries(options);
  return Object.fromEntries(entries.filter(([, value]) => value !== null && value !== undefined));
}

const pushUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/ })]);
const smsSettingsParam = z.strictObject({
  push_dlr_enabled: z.boolean().optional(),
  push_dlr_url: pushUrl.optional(),
  push_mo_enabled: z.boolean().optional(),
  push_mo_url: pushUrl.optional(),
});

function smsIdOf(hash: string): number {
  const id = decodeHash('sms', hash);
  if (id === null) throw new RpcError(rpcCodes.notFound, `SMS not found: ${hash}`);
  return id;
}

export const smsMethods: RpcMethod[] = [
  defineMethod({
    name: 'sms.send',
    params: [
      param('from', z.string().nullish()),
      param('to', e164Param),
      param('text', z.string().min(1, 'the text is empty')),
      param('options', smsOptions.nullish()),
    ],
    handler: async ({ ctx, access }, [from, to, text, options]) => {
      const row = await sendSms(ctx.db, {
        accountId: access.accountId,
        from: from ?? '',
        to,
        text,
        forceEncoding: options?.force_encoding ?? null,
        ...(options?.nature && { nature: options.nature }),
        userData: options?.user_data || null,
        options: shownOptions(options),
        senderUserId:
          access.actor.type === 'user' && typeof access.actor.id === 'number' ? access.actor.id : null,
        actor: access.actor,
      });
      return encodeHash('sms', row.id);
    },
  }),
  defineMethod({
    name: 'sms.get',
    params: [param('hash', z.string())],
    handler: async ({ ctx, access }, [hash]) => {
      const row = await findSms(ctx.db, access.accountId, smsIdOf(hash));
      if (!row) throw new RpcError(rpcCodes.notFound, `SMS not found: ${hash}`);
      return toCallrSms(smsSnapshotOf(row));
    },
  }),
  defineMethod({
    name: 'sms.get_list',
    params: [
      param('type', z.enum(['IN', 'OUT'])),
      param('from', callrDateTimeParam),
      param('to', callrDateTimeParam),
    ],
    handler: async ({ ctx, access }, [type, from, to]) => {
      if (from > to) throw new RpcError(rpcCodes.invalidParams, "Invalid param #2 'from': after 'to'");
      const rows = await listSms(ctx.db, access.accountId, { direction: type, from, to });
      return rows.map((row) => toCallrSms(smsSnapshotOf(row)));
    },
  }),
  defineMethod({
    name: 'sms.get_settings',
    params: [],
    handler: ({ ctx, access }) => getSmsSettings(ctx.db, access.accountId),
  }),
  defineMethod({
    name: 'sms.set_settings',
    params: [param('settings', smsSettingsParam)],
    handler: async ({ ctx, access }, [settings]) => {
      const merged: SmsSettings = { ...(await getSmsSettings(ctx.db, access.accountId)), ...settings };
      for (const kind of ['dlr', 'mo'] as const) {
        if (merged[`push_${kind}_enabled`] && merged[`push_${kind}_url`] === '') {
          throw new RpcError(
            rpcCodes.invalidParams,
            `Invalid param #1 'settings': push_${kind}_url is required when push_${kind}_enabled is true`,
          );
        }
      }
      return updateSmsSettings(ctx.db, access.accountId, settings);
    },
  }),
];
