import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** A number's national forms: digits only ("0140000001") and as written locally ("01 40 00 00 01"). */
export function nationalForms(intlNumber: string): { plain: string; formatted: string } {
  const parsed = parsePhoneNumberFromString(intlNumber);
  if (!parsed) return { plain: intlNumber.replace(/\D/g, ''), formatted: intlNumber };
  const formatted = parsed.formatNational();
  return { plain: formatted.replace(/\D/g, ''), formatted };
}

/**
 * The area code's prefix as dialled from abroad ("+331" for France's "01"), or null when the number
 * does not start with the local prefix. The local prefix may carry the national trunk prefix ("0")
 * that international dialling drops, or not (the US "646"; Italy's "06" keeps its 0 abroad).
 */
export function intlPrefixOf(
  country: CountryCode,
  nationalNumber: string,
  localPrefix: string,
): string | null {
  const callingCode = getCountryCallingCode(country);
  if (nationalNumber.startsWith(localPrefix)) return `+${callingCode}${localPrefix}`;
  const withoutTrunk = localPrefix.replace(/^0/, '');
  if (withoutTrunk !== localPrefix && nationalNumber.startsWith(withoutTrunk)) {
    return `+${callingCode}${withoutTrunk}`;
  }
  return null;
}
