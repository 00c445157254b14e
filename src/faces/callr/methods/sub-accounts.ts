import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { isAdministrator, type AccountAccess } from '../../../core/identity/principal.js';
import {
  changeSubAccountState,
  createSubAccount,
  editSubAccount,
  getSubAccount,
  listSubAccounts,
  resetSubAccountPassword,
  setSubAccountTraffic,
  subAccountQuota,
  type SubAccountOrder,
  type SubAccountRef,
  type SubAccountView,
} from '../../../core/sub-accounts/sub-accounts.js';
import type { PostalAddress, SubAccountBilling } from '../../../core/sub-accounts/sub-accounts.tables.js';
import { callrAmount, e164Param } from '../formats.js';
import { decodeHash } from '../hash-ids.js';
import { RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';

// ---- Search.Options / Search.Results, shared with the SIP lists -------------------------------

/** The most hits one page may hold; the default page is smaller. */
export const MAX_SEARCH_QUANTITY = 500;
const DEFAULT_SEARCH_QUANTITY = 50;

export interface SearchPage<O extends string> {
  offset: number;
  quantity: number;
  order: O;
}

/** `Search.Options` {offset, order, quantity}: `order` is one of the list's sort keys ("-key" descends). */
export function searchOptionsParam<const O extends string>(orders: readonly [O, ...O[]], defaultOrder: O) {
  return z
    .strictObject({
      offset: z.int().min(0).max(10_000_000).nullish(),
      order: z.enum(orders).nullish(),
      quantity: z.int().min(1).max(MAX_SEARCH_QUANTITY).nullish(),
    })
    .nullish()
    .transform((options): SearchPage<O> => ({
      offset: options?.offset ?? 0,
      quantity: options?.quantity ?? DEFAULT_SEARCH_QUANTITY,
      order: options?.order ?? defaultOrder,
    }));
}

/** `Search.Results` {has_more, hits, offset, total}. */
export function searchResults<T>(hits: T[], offset: number, total: number) {
  return { has_more: offset + hits.length < total, hits, offset, total };
}

export function requireAdministrator(access: AccountAccess, what: string): void {
  if (!isAdministrator(access)) throw new RpcError(rpcCodes.forbidden, `Only an administrator can ${what}`);
}

// ---- Params ----------------------------------------------------------------------------------

/** A `field_name`: free text, trimmed. */
const fieldName = z.string().trim().max(100);
const email = z.email().trim().max(254);

/** `Address`; every part but the country may be empty. */
const addressSchema = z
  .strictObject({
    city: z.string().trim().max(100).nullish(),
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "FR"'),
    state: z.string().trim().max(100).nullish(),
    street: z.string().trim().max(200).nullish(),
    zip: z.string().trim().max(20).nullish(),
  })
  .transform((address): PostalAddress => ({
    city: address.city ?? '',
    country: address.country.toUpperCase(),
    state: address.state ?? '',
    street: address.street ?? '',
    zip: address.zip ?? '',
  }));

/** `SubAccount.Contact`: exactly one email (it becomes the login), at most one phone and address. */
const contactSchema = z
  .strictObject({
    addresses: z.array(addressSchema).max(1).nullish(),
    emails: z.array(email).length(1, 'expected exactly one email (it is the sub-account login)'),
    phones: z.array(e164Param).max(1).nullish(),
    tech_emails: z.array(email).max(10).nullish(),
  })
  .transform((contact) => ({
    addresses: contact.addresses ?? [],
    emails: contact.emails.map((value) => value.toLowerCase()),
    phones: contact.phones ?? [],
    tech_emails: contact.tech_emails ?? [],
  }));

/** `SubAccount.CreateParams.Billing` / `SubAccount.EditParams.Billing`. */
const billingSchema = z
  .strictObject({
    addresses: z.array(addressSchema).max(1).nullish(),
    emails: z.array(email).max(10).nullish(),
  })
  .transform((billing): SubAccountBilling => ({
    addresses: billing.addresses ?? [],
    emails: billing.emails ?? [],
  }));

const paramsSchema = z.strictObject({ billing: billingSchema.nullish() }).nullish();

/** `SubAccount.CreateProperties`. */
const createPropertiesSchema = z.strictObject({
  account: z
    .strictObject({
      company: fieldName.nullish(),
      firstname: fieldName.nullish(),
      lastname: fieldName.nullish(),
    })
    .refine(
      (account) => Boolean(account.company || account.firstname || account.lastname),
      'give a company, a firstname or a lastname',
    ),
  contact: contactSchema,
  params: paramsSchema,
});

/** `SubAccount.EditProperties`: what is given is replaced. */
const editPropertiesSchema = z.strictObject({ contact: contactSchema.nullish(), params: paramsSchema });

/** `SubAccount.CreateOptions.Password`: AUTO (the default) generates one, MANUAL takes `value`. */
const passwordOptionsSchema = z
  .strictObject({
    method: z.enum(['AUTO', 'MANUAL']).nullish(),
    value: z.string().min(8, 'a password needs at least 8 characters').max(128).nullish(),
  })
  .refine((options) => options.method !== 'MANUAL' || Boolean(options.value), {
    message: 'the MANUAL method needs a value',
    path: ['value'],
  })
  .nullish()
  .transform((options) =>
    options?.method === 'MANUAL' && options.value ? options.value : generatePassword(),
  );

/** `SubAccount.CreateOptions`. */
const createOptionsSchema = z
  .strictObject({ password: passwordOptionsSchema })
  .nullish()
  .transform((options) => ({ password: options?.password ?? generatePassword() }));

/** `SubAccount.EditOptions` is empty in the seed: an object or null. */
const editOptionsSchema = z.strictObject({}).nullish();

/** `SubAccount.SearchFilters`: archived FALSE (default) only live ones, TRUE only archived, NULL both. */
const searchFiltersSchema = z
  .strictObject({ archived: z.boolean().nullable().optional() })
  .nullish()
  .transform((filters) => ({ archived: filters?.archived === undefined ? false : filters.archived }));

const subAccountOrders = [
  'login',
  '-login',
  'created_at',
  '-created_at',
] as const satisfies readonly SubAccountOrder[];

/**
 * The editable part of `SubAccount.State`: which traffic the sub-account may carry. `archived`,
 * `disabled` and `credit` have their own methods (archive/disable/enable) or owner (billing).
 */
const stateFlagsSchema = z.strictObject({
  allow_calls_in: z.boolean().nullish(),
  allow_calls_out: z.boolean().nullish(),
  allow_sms_in: z.boolean().nullish(),
  allow_sms_out: z.boolean().nullish(),
});

/** A sub-account by its login (its administrator's email) or by its account hash. */
export const subAccountRefParam = z
  .string()
  .trim()
  .min(1)
  .max(254)
  .transform((value): SubAccountRef => {
    const accountId = decodeHash('account', value);
    return accountId === null ? { login: value } : { accountId };
  });

/** 16 characters of 96 random bits, shown once: AUTO passwords. */
function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

// ---- Objects ---------------------------------------------------------------------------------

/**
 * CALLR `SubAccount`. `credentials.password` is only ever the clear password right after it was
 * set ("print only the first time"), and "" otherwise.
 */
export function toCallrSubAccount(view: SubAccountView, password = '') {
  return {
    account: { company: view.company, firstname: view.firstname, lastname: view.lastname },
    contact: {
      addresses: view.contact.addresses,
      emails: view.contact.emails,
      phones: view.contact.phones,
      tech_emails: view.contact.tech_emails,
    },
    credentials: { login: view.login, password },
    params: {
      billing: {
        addresses: view.billing.addresses,
        currency_code: view.currencyCode,
        emails: view.billing.emails,
      },
      default: { locale: view.locale, timezone: view.timezone },
    },
    state: {
      allow_calls_in: view.allowCallsIn,
      allow_calls_out: view.allowCallsOut,
      allow_sms_in: view.allowSmsIn,
      allow_sms_out: view.allowSmsOut,
      archived: view.archived,
      credit: callrAmount(view.creditCents),
      disabled: view.disabled,
    },
  };
}

// ---- Methods ---------------------------------------------------------------------------------

function stateMethod(name: string, change: 'disable' | 'enable' | 'archive') {
  return defineMethod({
    name,
    params: [param('login', subAccountRefParam)],
    handler: async ({ ctx, access }, [ref]) => {
      requireAdministrator(access, 'manage sub-accounts');
      await changeSubAccountState(ctx.db, access.accountId, ref, change, access.actor);
      return true;
    },
  });
}

export const subAccountsMethods: RpcMethod[] = [
  defineMethod({
    name: 'subaccount.create',
    params: [param('properties', createPropertiesSchema), param('options', createOptionsSchema)],
    handler: async ({ ctx, access }, [properties, options]) => {
      requireAdministrator(access, 'create sub-accounts');
      const created = await createSubAccount(
        ctx.db,
        access.accountId,
        {
          company: properties.account.company ?? '',
          firstname: properties.account.firstname ?? '',
          lastname: properties.account.lastname ?? '',
          contact: properties.contact,
          billing: properties.params?.billing ?? { addresses: [], emails: [] },
          password: options.password,
        },
        access.actor,
      );
      return toCallrSubAccount(created, options.password);
    },
  }),
  defineMethod({
    name: 'subaccount.get',
    params: [param('login', subAccountRefParam)],
    handler: async ({ ctx, access }, [ref]) => {
      requireAdministrator(access, 'read sub-accounts');
      return toCallrSubAccount(await getSubAccount(ctx.db, access.accountId, ref));
    },
  }),
  defineMethod({
    name: 'subaccount.get_list',
    params: [
      param('filters', searchFiltersSchema),
      param('search_options', searchOptionsParam(subAccountOrders, 'created_at')),
    ],
    handler: async ({ ctx, access }, [filters, page]) => {
      requireAdministrator(access, 'read sub-accounts');
      const { items, total } = await listSubAccounts(ctx.db, access.accountId, {
        archived: filters.archived,
        offset: page.offset,
        limit: page.quantity,
        order: page.order,
      });
      return searchResults(
        items.map((item) => toCallrSubAccount(item)),
        page.offset,
        total,
      );
    },
  }),
  defineMethod({
    name: 'subaccount.edit',
    params: [
      param('login', subAccountRefParam),
      param('properties', editPropertiesSchema),
      param('options', editOptionsSchema),
    ],
    handler: async ({ ctx, access }, [ref, properties]) => {
      requireAdministrator(access, 'edit sub-accounts');
      const edited = await editSubAccount(ctx.db, access.accountId, ref, {
        contact: properties.contact ?? undefined,
        billing: properties.params?.billing ?? undefined,
      });
      return toCallrSubAccount(edited);
    },
  }),
  stateMethod('subaccount.disable', 'disable'),
  stateMethod('subaccount.enable', 'enable'),
  stateMethod('subaccount.archive', 'archive'),
  defineMethod({
    name: 'subaccount.edit_state',
    params: [param('login', subAccountRefParam), param('state', stateFlagsSchema)],
    handler: async ({ ctx, access }, [ref, state]) => {
      requireAdministrator(access, 'edit sub-accounts');
      const edited = await setSubAccountTraffic(ctx.db, access.accountId, ref, {
        allowCallsIn: state.allow_calls_in ?? undefined,
        allowCallsOut: state.allow_calls_out ?? undefined,
        allowSmsIn: state.allow_sms_in ?? undefined,
        allowSmsOut: state.allow_sms_out ?? undefined,
      });
      return toCallrSubAccount(edited);
    },
  }),
  defineMethod({
    name: 'subaccount.get_quota',
    params: [],
    handler: async ({ ctx, access }) => {
      requireAdministrator(access, 'read sub-accounts');
      return subAccountQuota(ctx.db, access.accountId);
    },
  }),
  defineMethod({
    name: 'subaccount.reset_password',
    params: [param('login', subAccountRefParam), param('options', passwordOptionsSchema)],
    handler: async ({ ctx, access }, [ref, password]) => {
      requireAdministrator(access, 'reset sub-account passwords');
      const found = await resetSubAccountPassword(ctx.db, access.accountId, ref, password);
      // `SubAccount.Credentials`: the new password, shown this once.
      return { login: found.login, password };
    },
  }),
];
