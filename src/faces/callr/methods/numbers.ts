import { z } from 'zod';
import { ownCreditRate } from '../../../core/billing/credit.js';
import { listAreaCodes, listNumberTypes, listStoreCountries } from '../../../core/numbers/area-codes.js';
import { nationalForms } from '../../../core/numbers/number-format.js';
import {
  buyOrder,
  cancelOrder,
  cancelSubscription,
  MAX_ORDER_QUANTITY,
  quoteNumbers,
  reservationModes,
  reserveNumbers,
  viewOrder,
  CONTRACT_MONTHS,
  type OrderItem,
  type OrderView,
} from '../../../core/numbers/number-store.js';
import { getQuotaStatus } from '../../../core/numbers/number-quotas.js';
import { numberClasses, numberTypes } from '../../../core/numbers/numbers.tables.js';
import { isAdministrator } from '../../../core/identity/principal.js';
import { callrAmount, callrDateTime } from '../formats.js';
import { decodeHash, encodeHash } from '../hash-ids.js';
import { invalidParam, RpcError, rpcCodes } from '../json-rpc.js';
import { defineMethod, param, type RpcCall, type RpcMethod } from '../rpc-method.js';

// ---- params ----

const countryParam = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "FR"')
  .transform((code) => code.toUpperCase());
const areaCodeIdParam = z
  .union([z.number(), z.string().regex(/^\d+$/, 'expected an area code id').transform(Number)])
  .pipe(z.number().int().positive().max(2147483647));
const classParam = z.enum(numberClasses);
const quantityParam = z.number().int().min(1).max(MAX_ORDER_QUANTITY);
const tokenParam = z.string().trim().min(1).max(100);

// ---- CALLR objects (callr.objects.json, "DIDs/store") ----

/**
 * `DID.Store.Contract`. Parley sells numbers month to month, debited from the prepaid credit: the
 * contract is one month from the quote or purchase, renewed.
 */
function toContract(endsAt: Date) {
  return { billing_mode: 'PREPAID', duration_month: CONTRACT_MONTHS, end_date: callrDateTime(endsAt) };
}

/**
 * `DID.Store.Cost`: the inventory's monthly prices (no discounts). The prepaid debit is what the
 * purchase takes from the credit: each number's monthly price, or the account's own `number_month`
 * rate per number when it has one (billing); after a purchase, the amount actually debited.
 */
function toCost(cost: { quantity: number; unitCents: number; monthlyCents: number; debitCents: number }) {
  return {
    amount_per_month: callrAmount(cost.monthlyCents),
    amount_prepaid_debit: callrAmount(cost.debitCents),
    amount_unit: callrAmount(cost.unitCents),
    discount_percent: 0,
    quantity: cost.quantity,
    quantity_paying: cost.quantity,
  };
}

function costOfItems(items: readonly OrderItem[], debitCents: number) {
  return toCost({
    quantity: items.length,
    unitCents: Math.max(0, ...items.map((item) => item.monthlyCents)),
    monthlyCents: items.reduce((sum, item) => sum + item.monthlyCents, 0),
    debitCents,
  });
}

/**
 * What buying `count` numbers whose monthly prices add up to `listCents` would debit from the
 * account's prepaid credit: its own number_month rate per number if it has one, else those prices.
 */
async function debitFor(call: RpcCall, count: number, listCents: number): Promise<number> {
  if (count === 0) return 0;
  const own = await ownCreditRate(call.ctx.db, call.access.accountId, 'number_month');
  return own === undefined ? listCents : own * count;
}

/** `DID.Store.Item`. */
function toStoreItem(item: OrderItem) {
  return {
    hash: encodeHash('did', item.phoneNumberId),
    intl_number: item.number,
    local_number: nationalForms(item.number).plain,
  };
}

/** `DID.Store.Reservation`: the numbers the order holds (or held, once it ended). */
async function toReservation(call: RpcCall, view: OrderView) {
  // A bought order shows what it bought; an open or released one, what it holds or held.
  const items =
    view.order.state === 'bought' ? view.items.filter((item) => item.outcome === 'bought') : view.items;
  return {
    contract: toContract(view.contractEndsAt),
    cost: costOfItems(
      items,
      await debitFor(
        call,
        items.length,
        items.reduce((sum, item) => sum + item.monthlyCents, 0),
      ),
    ),
    expire: callrDateTime(view.order.expiresAt),
    items: items.map(toStoreItem),
    token: view.order.token,
  };
}

function toAvailability(available: { CLASSIC: number; GOLD: number }) {
  return { CLASSIC: available.CLASSIC, GOLD: available.GOLD };
}

function requireAdministrator(call: RpcCall): void {
  if (!isAdministrator(call.access)) {
    throw new RpcError(rpcCodes.forbidden, 'Buying and releasing numbers needs the administrator role');
  }
}

/** The CALLR numbers methods: the area codes of the store (`did/areacode.*`) and the store (`did/store.*`). */
export const numbersMethods: RpcMethod[] = [
  defineMethod({
    name: 'did/areacode.countries',
    params: [],
    handler: async (call) => {
      const countries = await listStoreCountries(call.ctx.db);
      return countries.map((country) => ({
        available: toAvailability(country.available),
        code: country.code,
        label: country.label,
      }));
    },
  }),

  defineMethod({
    name: 'did/areacode.get_list',
    params: [param('country', countryParam), param('type', z.enum(numberTypes).nullish())],
    handler: async (call, [country, type]) => {
      const areaCodes = await listAreaCodes(call.ctx.db, { countryCode: country, type: type ?? null });
      return areaCodes.map((areaCode) => ({
        available: toAvailability(areaCode.available),
        country_code: areaCode.countryCode,
        id: areaCode.id,
        intl_prefix: areaCode.intlPrefix,
        label: areaCode.label,
        local_prefix: areaCode.localPrefix,
        type: areaCode.type,
      }));
    },
  }),

  defineMethod({
    name: 'did/areacode.types',
    params: [param('country', countryParam)],
    handler: async (call, [country]) => {
      const types = await listNumberTypes(call.ctx.db, country);
      return types.map((type) => ({
        available: toAvailability(type.available),
        code: type.code,
        label: type.label,
      }));
    },
  }),

  defineMethod({
    name: 'did/store.get_quote',
    params: [
      param('area_code_id', areaCodeIdParam),
      param('class', classParam),
      param('quantity', quantityParam),
    ],
    handler: async (call, [areaCodeId, numberClass, quantity]) => {
      const quote = await quoteNumbers(call.ctx.db, { areaCodeId, numberClass, quantity });
      return {
        available: quote.available,
        contract: toContract(quote.contractEndsAt),
        cost: toCost({
          ...quote,
          debitCents: await debitFor(call, quote.available, quote.monthlyCents),
        }),
      };
    },
  }),

  defineMethod({
    name: 'did/store.reserve',
    params: [
      param('area_code_id', areaCodeIdParam),
      param('class', classParam),
      param('quantity', quantityParam),
      param('mode', z.enum(reservationModes).nullish()),
    ],
    handler: async (call, [areaCodeId, numberClass, quantity, mode]) => {
      requireAdministrator(call);
      const view = await reserveNumbers(call.ctx.db, call.access.accountId, {
        areaCodeId,
        numberClass,
        quantity,
        mode: mode ?? 'RANDOM',
      });
      return toReservation(call, view);
    },
  }),

  defineMethod({
    name: 'did/store.buy_order',
    params: [param('token', tokenParam)],
    handler: async (call, [token]) => {
      requireAdministrator(call);
      const result = await buyOrder(call.ctx.db, call.access.accountId, token);
      return {
        contract: toContract(result.contractEndsAt),
        cost: costOfItems(result.bought, result.debitCents),
        errors: result.refused.map((refusal) => ({
          code: refusal.code,
          DID: toStoreItem(refusal.item),
          message: refusal.message,
        })),
        success: result.bought.map(toStoreItem),
      };
    },
  }),

  defineMethod({
    name: 'did/store.cancel_order',
    params: [param('token', tokenParam)],
    handler: async (call, [token]) => {
      requireAdministrator(call);
      await cancelOrder(call.ctx.db, call.access.accountId, token);
    },
  }),

  defineMethod({
    name: 'did/store.view_order',
    params: [param('token', tokenParam)],
    handler: async (call, [token]) =>
      toReservation(call, await viewOrder(call.ctx.db, call.access.accountId, token)),
  }),

  defineMethod({
    name: 'did/store.cancel_subscription',
    params: [param('did_id', z.string().trim())],
    handler: async (call, [didId]) => {
      requireAdministrator(call);
      const id = decodeHash('did', didId);
      if (id === null) throw invalidParam(0, 'did_id', `"${didId}" is not a DID hash`);
      await cancelSubscription(call.ctx.db, call.access.accountId, id);
    },
  }),

  defineMethod({
    name: 'did/store.get_quota_status',
    params: [],
    handler: async (call) => {
      const status = await getQuotaStatus(call.ctx.db, call.access.accountId);
      return {
        assigned_count: status.assignedCount,
        assigned_max: status.assignedMax,
        quota_current_count: status.periodCount,
        quota_current_remaining: status.remaining,
        quota_max_over_period: status.maxOverPeriod,
        quota_period_days: status.periodDays,
      };
    },
  }),
];
