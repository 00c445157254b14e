import { z } from 'zod';
import type { AppContext } from '../../../platform/app-context.js';
import { vmsSchema } from '../../../core/voice-apps/voice-app-options.js';
import {
  SIP_USERNAME_PATTERN,
  createSipSubscriber,
  deleteSipSubscriber,
  editSipSubscriber,
  getSipSubscriber,
  listSipSubscribers,
  resetSipSubscriberPassword,
  type SipSubscriber,
  type SipSubscriberInput,
} from '../../../core/sip/sip-subscribers.js';
import {
  createSipTrunk,
  deleteSipTrunk,
  editSipTrunk,
  getSipTrunk,
  listSipTrunks,
} from '../../../core/sip/sip-trunks.js';
import { sipCodecs, type SipTrunkKind, type SipTrunkRow } from '../../../core/sip/sip.tables.js';
import { e164Param } from '../formats.js';
import { encodeHash } from '../hash-ids.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { requireAdministrator, searchOptionsParam, searchResults } from './sub-accounts.js';

// ---- Params ----------------------------------------------------------------------------------

/** An object id (`int`); numeric strings are read too, as loosely typed clients send them. */
const idParam = z.union([
  z.int().min(1),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'expected a positive integer id')
    .transform(Number),
]);

const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SIP_USERNAME_PATTERN, 'expected 3 to 32 of a-z 0-9 . _ - (starting with a letter or digit)');

/** `cli_phone_number`: "BLOCKED" or an E.164 number of the account. */
const cliSchema = z.union([z.literal('BLOCKED'), e164Param]);

/** `SIP.Subscriber.Properties`; null or absent fields take the seed's default on create, stay as they are on edit. */
const subscriberPropertiesSchema = z
  .strictObject({
    cli: cliSchema.nullish(),
    codecs: z
      .array(z.enum(sipCodecs))
      .max(sipCodecs.length)
      .refine((codecs) => new Set(codecs).size === codecs.length, 'a codec is listed twice')
      .nullish(),
    privacy: z.enum(['full', 'off']).nullish(),
    ring_timeout: z
      .int()
      .min(5, 'must be between 5 and 120 seconds')
      .max(120, 'must be between 5 and 120 seconds')
      .nullish(),
    srtp: z.boolean().nullish(),
    username: usernameSchema.nullish(),
  })
  .nullish();

/** `SIP.Subscriber.Options`: the voicemail (`App.Param.Vms`, validated and normalized like an app's). */
const subscriberOptionsSchema = z.strictObject({ vms: vmsSchema.nullish() }).nullish();

/** `SIP.Subscriber.SearchFilters`. */
const subscriberFiltersSchema = z
  .strictObject({ domain: z.string().trim().toLowerCase().nullish(), username: usernameSchema.nullish() })
  .nullish();

type SubscriberProperties = z.output<typeof subscriberPropertiesSchema>;
type SubscriberOptions = z.output<typeof subscriberOptionsSchema>;

function subscriberInput(properties: SubscriberProperties, options: SubscriberOptions): SipSubscriberInput {
  return {
    username: properties?.username ?? undefined,
    cli: properties?.cli ?? undefined,
    codecs: properties?.codecs ?? undefined,
    privacy: properties?.privacy ?? undefined,
    ringTimeout: properties?.ring_timeout ?? undefined,
    srtp: properties?.srtp ?? undefined,
    vms: options?.vms ?? undefined,
  };
}

/**
 * The seed leaves `SIP.Trunk*.Properties` / `.Options` empty (a gap in the source, not "no
 * fields"), so a trunk stores whatever JSON object the client sends, up to 16 KB, as its config.
 */
const trunkConfigSchema = z
  .record(z.string().max(100), z.json())
  .refine((value) => JSON.stringify(value).length <= 16_384, 'must be at most 16 KB of JSON')
  .nullish();

/** `SIP.Trunk*.SearchFilters` is empty too: an object or null. */
const trunkFiltersSchema = z.record(z.string(), z.json()).nullish();

// ---- Objects ---------------------------------------------------------------------------------

/** The account's SIP domain: its hash under the instance's host ("5dc4a2e0.sip.example.com"). */
export function sipDomainOf(ctx: AppContext, accountId: number): string {
  const host = ctx.config.PARLEY_PUBLIC_URL ? new URL(ctx.config.PARLEY_PUBLIC_URL).hostname : 'localhost';
  return `${encodeHash('account', accountId).toLowerCase()}.sip.${host}`;
}

/** CALLR `SIP.Subscriber`; `vms` is {} until a voicemail is set. */
export function toCallrSipSubscriber(subscriber: SipSubscriber, domain: string) {
  return {
    cli: subscriber.cli,
    codecs: subscriber.codecs,
    domain,
    id: subscriber.id,
    password: subscriber.password,
    privacy: subscriber.privacy,
    ring_timeout: subscriber.ringTimeout,
    srtp: subscriber.srtp,
    username: subscriber.username,
    vms: subscriber.vms,
  };
}

/** CALLR `SIP.TrunkOrigination` / `SIP.TrunkTermination`: the seed gives them only an id. */
function toCallrTrunk(trunk: SipTrunkRow) {
  return { id: trunk.id };
}

// ---- Methods ---------------------------------------------------------------------------------

const subscriberMethods: RpcMethod[] = [
  defineMethod({
    name: 'sip/subscriber.create',
    params: [param('properties', subscriberPropertiesSchema), param('options', subscriberOptionsSchema)],
    handler: async ({ ctx, access }, [properties, options]) => {
      requireAdministrator(access, 'manage SIP subscribers');
      const created = await createSipSubscriber(
        ctx.db,
        access.accountId,
        subscriberInput(properties, options),
      );
      return toCallrSipSubscriber(created, sipDomainOf(ctx, access.accountId));
    },
  }),
  defineMethod({
    name: 'sip/subscriber.get',
    params: [param('id', idParam)],
    handler: async ({ ctx, access }, [id]) => {
      requireAdministrator(access, 'read SIP subscribers');
      const subscriber = await getSipSubscriber(ctx.db, access.accountId, id);
      return toCallrSipSubscriber(subscriber, sipDomainOf(ctx, access.accountId));
    },
  }),
  defineMethod({
    name: 'sip/subscriber.get_list',
    params: [
      param('filters', subscriberFiltersSchema),
      param('search_options', searchOptionsParam(['id', '-id', 'username', '-username'], 'id')),
    ],
    handler: async ({ ctx, access }, [filters, page]) => {
      requireAdministrator(access, 'read SIP subscribers');
      const domain = sipDomainOf(ctx, access.accountId);
      // Every subscriber of the account is in its one domain: another domain matches none.
      if (filters?.domain && filters.domain !== domain) return searchResults([], page.offset, 0);
      const { items, total } = await listSipSubscribers(ctx.db, access.accountId, {
        username: filters?.username ?? undefined,
        offset: page.offset,
        limit: page.quantity,
        order: page.order,
      });
      return searchResults(
        items.map((item) => toCallrSipSubscriber(item, domain)),
        page.offset,
        total,
      );
    },
  }),
  defineMethod({
    name: 'sip/subscriber.edit',
    params: [
      param('id', idParam),
      param('properties', subscriberPropertiesSchema),
      param('options', subscriberOptionsSchema),
    ],
    handler: async ({ ctx, access }, [id, properties, options]) => {
      requireAdministrator(access, 'manage SIP subscribers');
      const edited = await editSipSubscriber(
        ctx.db,
        access.accountId,
        id,
        subscriberInput(properties, options),
      );
      return toCallrSipSubscriber(edited, sipDomainOf(ctx, access.accountId));
    },
  }),
  defineMethod({
    name: 'sip/subscriber.reset_password',
    params: [param('id', idParam)],
    handler: async ({ ctx, access }, [id]) => {
      requireAdministrator(access, 'manage SIP subscribers');
      const subscriber = await resetSipSubscriberPassword(ctx.db, access.accountId, id);
      return toCallrSipSubscriber(subscriber, sipDomainOf(ctx, access.accountId));
    },
  }),
  defineMethod({
    name: 'sip/subscriber.delete',
    params: [param('id', idParam)],
    handler: async ({ ctx, access }, [id]) => {
      requireAdministrator(access, 'manage SIP subscribers');
      await deleteSipSubscriber(ctx.db, access.accountId, id);
      return true;
    },
  }),
];

/** `sip/trunk_origination.*` or `sip/trunk_termination.*`: stored configuration, CRUD. */
function trunkMethods(kind: SipTrunkKind): RpcMethod[] {
  const prefix = `sip/trunk_${kind}`;
  return [
    defineMethod({
      name: `${prefix}.create`,
      params: [param('properties', trunkConfigSchema), param('options', trunkConfigSchema)],
      handler: async ({ ctx, access }, [properties, options]) => {
        requireAdministrator(access, 'manage SIP trunks');
        const trunk = await createSipTrunk(ctx.db, access.accountId, kind, {
          properties: properties ?? undefined,
          options: options ?? undefined,
        });
        return toCallrTrunk(trunk);
      },
    }),
    defineMethod({
      name: `${prefix}.get`,
      params: [param('id', idParam)],
      handler: async ({ ctx, access }, [id]) => {
        requireAdministrator(access, 'read SIP trunks');
        return toCallrTrunk(await getSipTrunk(ctx.db, access.accountId, kind, id));
      },
    }),
    defineMethod({
      name: `${prefix}.get_list`,
      params: [
        param('filters', trunkFiltersSchema),
        param('search_options', searchOptionsParam(['id', '-id'], 'id')),
      ],
      handler: async ({ ctx, access }, [, page]) => {
        requireAdministrator(access, 'read SIP trunks');
        const { items, total } = await listSipTrunks(ctx.db, access.accountId, kind, {
          offset: page.offset,
          limit: page.quantity,
          order: page.order,
        });
        return searchResults(items.map(toCallrTrunk), page.offset, total);
      },
    }),
    defineMethod({
      name: `${prefix}.edit`,
      params: [
        param('id', idParam),
        param('properties', trunkConfigSchema),
        param('options', trunkConfigSchema),
      ],
      handler: async ({ ctx, access }, [id, properties, options]) => {
        requireAdministrator(access, 'manage SIP trunks');
        const trunk = await editSipTrunk(ctx.db, access.accountId, kind, id, {
          properties: properties ?? undefined,
          options: options ?? undefined,
        });
        return toCallrTrunk(trunk);
      },
    }),
    defineMethod({
      name: `${prefix}.delete`,
      params: [param('id', idParam)],
      handler: async ({ ctx, access }, [id]) => {
        requireAdministrator(access, 'manage SIP trunks');
        await deleteSipTrunk(ctx.db, access.accountId, kind, id);
        return true;
      },
    }),
  ];
}

export const sipMethods: RpcMethod[] = [
  ...subscriberMethods,
  ...trunkMethods('origination'),
  ...trunkMethods('termination'),
];
