import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { findCountryFacts } from './countries.js';

/** What libphonenumber can say about a number (CALLR's `NumberInfos`). */
export interface NumberFacts {
  isValid: boolean;
  /** ISO country, "" when the number names none. */
  countryCode: string;
  /** Calling code without "+", e.g. "33". */
  callingCode: string;
  /** E.164, or the input trimmed when it does not parse. */
  e164: string;
  /** National format without spaces, with the trunk prefix: "0678912345". */
  nationalNumber: string;
  /** The trunk prefix dialled inside the country, e.g. "0". */
  nationalPrefix: string;
  /** Only the country's English name: libphonenumber-js has no finer geocoding. */
  location: string;
  /** libphonenumber's type: MOBILE, FIXED_LINE, FIXED_LINE_OR_MOBILE, TOLL_FREE, …; "" when unknown. */
  type: string;
}

/** Reads an international number ("+33…", or "0033…"); anything else reads as invalid. */
export function describeNumber(input: string): NumberFacts {
  const trimmed = input.trim();
  const international = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed) {
    return {
      isValid: false,
      countryCode: '',
      callingCode: '',
      e164: trimmed,
      nationalNumber: '',
      nationalPrefix: '',
      location: '',
      type: '',
    };
  }
  const country = parsed.country ? findCountryFacts(parsed.country) : undefined;
  return {
    isValid: parsed.isValid(),
    countryCode: parsed.country ?? '',
    callingCode: parsed.countryCallingCode,
    e164: parsed.number,
    nationalNumber: parsed.formatNational().replace(/[^\d]/g, ''),
    nationalPrefix: country?.nationalPrefix ?? '',
    location: country?.nameEn ?? '',
    type: parsed.getType() ?? '',
  };
}
