import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { NumberClass, NumberType, PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { encodeHash } from './hash-ids.js';

/** CALLR's `DID` object (callr.objects.json), field names as the seed spells them. */
export interface CallrDid {
  /** The assigned voice app's hash; "" when none (the seed says "NULL otherwise" but types it string). */
  app: string;
  class: NumberClass;
  country_code: string;
  hash: string;
  intl_number: string;
  /** National format, digits only ("0123456789" for +33123456789). */
  local_number: string;
  /** National format as dialled locally, with the country's grouping ("01 23 45 67 89"). */
  local_number_f: string;
  type: NumberType;
}

/** The number's national forms; the E.164 digits when libphonenumber-js cannot place it. */
function localForms(intlNumber: string): { plain: string; formatted: string } {
  const parsed = parsePhoneNumberFromString(intlNumber);
  if (!parsed) return { plain: intlNumber.replace(/\D/g, ''), formatted: intlNumber };
  const formatted = parsed.formatNational();
  return { plain: formatted.replace(/\D/g, ''), formatted };
}

export function toCallrDid(row: PhoneNumberRow): CallrDid {
  const local = localForms(row.number);
  return {
    app: row.voiceAppId === null ? '' : encodeHash('app', row.voiceAppId),
    class: row.numberClass,
    country_code: row.countryCode,
    hash: encodeHash('did', row.id),
    intl_number: row.number,
    local_number: local.plain,
    local_number_f: local.formatted,
    type: row.type,
  };
}
