import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DomainError } from '../../platform/errors.js';

// Chatwoot validates phone numbers against E.164 (`\+[1-9]\d{1,14}`); libphonenumber-js also
// checks that the country calling code exists.
const E164 = /^\+[1-9]\d{1,14}$/;
// Chatwoot uses Devise's email regexp, which is deliberately permissive.
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ path: field, message }]);
}

/** Blank strings mean "no value", as Chatwoot stores them. */
export function blankToNull(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function normalizeEmail(value: string | null | undefined): string | null | undefined {
  const email = blankToNull(value);
  if (email === undefined || email === null) return email;
  if (!EMAIL.test(email)) throw invalid('email', 'is invalid');
  // Chatwoot downcases emails before saving, so lookups are case-insensitive.
  return email.toLowerCase();
}

export function normalizePhoneNumber(value: string | null | undefined): string | null | undefined {
  const phone = blankToNull(value);
  if (phone === undefined || phone === null) return phone;
  if (!E164.test(phone) || !parsePhoneNumberFromString(phone)) {
    throw invalid('phone_number', 'should be in e164 format');
  }
  return phone;
}
