import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js';
import type { ExclusionCause } from './campaigns.tables.js';

export type PhoneExclusion = Extract<ExclusionCause, 'noValidPhone' | 'tooShort' | 'tooLong'>;

export type PhoneCheck =
  { isValid: true; e164: string; digits: string } | { isValid: false; cause: PhoneExclusion };

/**
 * Diabolocom writes phones as E.164 with or without the "+" ("33123456789"); "00" and common
 * separators are tolerated. libphonenumber-js decides validity and says when a number is too
 * short or too long, which the seed reports as its own exclusion causes.
 */
export function checkPhone(raw: string): PhoneCheck {
  const cleaned = raw.trim().replace(/[\s().-]/g, '');
  const international = cleaned.startsWith('+')
    ? cleaned
    : cleaned.startsWith('00')
      ? `+${cleaned.slice(2)}`
      : `+${cleaned}`;
  if (!/^\+[1-9]\d{0,17}$/.test(international)) return { isValid: false, cause: 'noValidPhone' };
  const length = validatePhoneNumberLength(international);
  if (length === 'TOO_SHORT') return { isValid: false, cause: 'tooShort' };
  if (length === 'TOO_LONG') return { isValid: false, cause: 'tooLong' };
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed?.isValid()) return { isValid: false, cause: 'noValidPhone' };
  return { isValid: true, e164: parsed.number, digits: parsed.number.slice(1) };
}

/** Digits only, the form `phone_numbers` and `do_not_call_numbers` hold (search input too). */
export function phoneDigits(raw: string): string {
  return raw.replace(/\D/g, '');
}

export interface ContactPhones {
  /** Phone field → value as given, for the valid ones only. */
  phones: Record<string, string>;
  digits: string[];
  /** The first valid phone in the campaign's field order: links the core contact. */
  primaryE164: string | null;
  /** The field called next: the first valid one. */
  currentPhoneName: string | null;
  /** Why no phone can be dialled, when none can. */
  invalidCause: PhoneExclusion;
  hasValidPhone: boolean;
}

/** The campaign's `phoneFields` pick which custom fields are phones. */
export function contactPhones(
  phoneFields: readonly string[],
  customFields: Record<string, string>,
): ContactPhones {
  const phones: Record<string, string> = {};
  const digits: string[] = [];
  let primaryE164: string | null = null;
  let currentPhoneName: string | null = null;
  let invalidCause: ContactPhones['invalidCause'] = 'noValidPhone';
  let sawLengthProblem = false;
  for (const field of phoneFields) {
    const value = customFields[field]?.trim();
    if (!value) continue;
    const check = checkPhone(value);
    if (!check.isValid) {
      // "Too short"/"too long" say more than "not valid": report them when that is all there is.
      if (check.cause !== 'noValidPhone' && !sawLengthProblem) {
        invalidCause = check.cause;
        sawLengthProblem = true;
      }
      continue;
    }
    phones[field] = value;
    if (!digits.includes(check.digits)) digits.push(check.digits);
    primaryE164 ??= check.e164;
    currentPhoneName ??= field;
  }
  return { phones, digits, primaryE164, currentPhoneName, invalidCause, hasValidPhone: digits.length > 0 };
}
