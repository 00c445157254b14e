import { z } from 'zod';
import { getCreditBalance } from '../../../core/billing/credit.js';
import { listCountryFacts, type CountryFacts } from '../../../core/lookups/countries.js';
import { describeNumber } from '../../../core/lookups/number-infos.js';
import { listTimezoneFacts, type TimezoneFacts } from '../../../core/lookups/timezones.js';
import { defineMethod, param, type RpcMethod } from '../rpc-method.js';
import { toCallrCredit } from './billing.js';

/**
 * CALLR `Country`. Fields with no truthful source in Parley (capital, continent, languages,
 * coordinates, neighbours, currency) are "" rather than invented; see core/lookups/countries.ts.
 */
function toCallrCountry(country: CountryFacts) {
  return {
    capital_code: '',
    continent_code: '',
    country_code: country.code,
    country_dialcode: country.callingCode,
    country_en_label: country.nameEn.toUpperCase(),
    country_fr_label: country.nameFr.toLocaleUpperCase('fr'),
    country_label: country.nameEn,
    country_languages: '',
    country_latitude: '',
    country_localcode: country.nationalPrefix,
    country_longitude: '',
    country_neighbours: '',
    country_number_length: country.numberLengths.join(','),
    country_tld: country.tld,
    currency_code: '',
  };
}

/** CALLR `Timezone`; `dst` is "1" when the zone observes daylight saving time, else "0". */
function toCallrTimezone(zone: TimezoneFacts) {
  return {
    country_codes: zone.countryCodes,
    dst: zone.observesDst ? '1' : '0',
    iana: zone.iana,
    iana_names: zone.aliases,
    id: zone.id,
    label: `(UTC${zone.standardOffset}) ${zone.iana}`,
  };
}

/** System and look-up methods (`system.*`, `list.*`, `billing.get_prepaid_credit`). */
export const systemMethods: RpcMethod[] = [
  defineMethod({
    name: 'system.get_timestamp',
    params: [],
    // The server's clock as a UNIX timestamp in seconds, which clients use to check their own.
    handler: () => Promise.resolve(Math.floor(Date.now() / 1000)),
  }),
  defineMethod({
    name: 'billing.get_prepaid_credit',
    params: [],
    // The seed names no return object; this is the credit object of CALLR's credit webhook
    // (Webhook.Event.Billing.Credit), amounts in cents with 2 decimals.
    handler: async (call) => toCallrCredit(await getCreditBalance(call.ctx.db, call.access.accountId)),
  }),
  defineMethod({
    name: 'list.countries',
    params: [],
    handler: () => Promise.resolve(listCountryFacts().map(toCallrCountry)),
  }),
  defineMethod({
    name: 'list.timezones',
    params: [],
    handler: () => Promise.resolve(listTimezoneFacts().map(toCallrTimezone)),
  }),
  defineMethod({
    name: 'list.number_infos',
    params: [
      param('number', z.string().trim().min(1, 'expected a phone number such as "+33678912345"').max(64)),
    ],
    // An unreadable number is an answer (is_valid false), not an error: that is what the method is for.
    handler: (_call, [number]) => {
      const facts = describeNumber(number);
      return Promise.resolve({
        country_code: facts.countryCode,
        intl_code: facts.callingCode,
        intl_number: facts.e164,
        is_valid: facts.isValid,
        local_number: facts.nationalNumber,
        local_prefix: facts.nationalPrefix,
        location: facts.location,
        type: facts.type,
      });
    },
  }),
];
