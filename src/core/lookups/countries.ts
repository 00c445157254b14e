import { getCountries, getCountryCallingCode, Metadata, type CountryCode } from 'libphonenumber-js/max';

/**
 * Country facts Parley can state truthfully without a geography database: names come from the
 * runtime's ICU data (Intl.DisplayNames), dialling facts from libphonenumber's metadata. Capitals,
 * continents, languages, coordinates, neighbours and currencies are not in either, so the CALLR
 * face leaves those fields empty rather than inventing them.
 */
export interface CountryFacts {
  /** ISO 3166-1 alpha-2, e.g. "FR". */
  code: string;
  /** The country calling code without "+", e.g. "33". */
  callingCode: string;
  nameEn: string;
  nameFr: string;
  /** The national (trunk) prefix dialled before a national number, e.g. "0"; "" where there is none. */
  nationalPrefix: string;
  /** The possible lengths of a national significant number, e.g. [9]. */
  numberLengths: number[];
  /** The country-code top-level domain, e.g. ".fr"; "" where the country has none. */
  tld: string;
}

// The ccTLD is the lowercased ISO code everywhere but these (libphonenumber's region list).
const TLD_EXCEPTIONS: Readonly<Record<string, string>> = { GB: '.uk', XK: '', TA: '' };

let cached: readonly CountryFacts[] | undefined;

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** Every country libphonenumber knows (about 245), sorted by code; computed once. */
export function listCountryFacts(): readonly CountryFacts[] {
  if (cached) return cached;
  const english = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const french = new Intl.DisplayNames(['fr'], { type: 'region', fallback: 'code' });
  const metadata = new Metadata();
  cached = [...getCountries()].sort().map((code) => {
    metadata.selectNumberingPlan(code);
    // libphonenumber-js's typings omit nationalPrefix(), which its NumberingPlan class has.
    const plan = metadata.numberingPlan as
      { nationalPrefix(): unknown; possibleLengths(): number[] } | undefined;
    return {
      code,
      callingCode: getCountryCallingCode(code),
      nameEn: english.of(code) ?? code,
      nameFr: french.of(code) ?? code,
      // The compact metadata stores "no prefix" as 0, not as an absent value.
      nationalPrefix: stringOr(plan?.nationalPrefix(), ''),
      numberLengths: plan?.possibleLengths() ?? [],
      tld: TLD_EXCEPTIONS[code] ?? `.${code.toLowerCase()}`,
    };
  });
  return cached;
}

export function findCountryFacts(code: string): CountryFacts | undefined {
  return listCountryFacts().find((country) => country.code === code.toUpperCase());
}

export function isKnownCountry(code: string): code is CountryCode {
  return (getCountries() as string[]).includes(code);
}
