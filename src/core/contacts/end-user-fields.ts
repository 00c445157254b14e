import { DomainError } from '../../platform/errors.js';
import { blankToNull, normalizeEmail, normalizePhoneNumber } from './contact-fields.js';

/**
 * A contact's profile as faces that model people in detail (Dixa end users) give it: the core
 * contact fields plus structured names and extra addresses (migration 0011). `undefined` leaves a
 * field alone; `null` (or a blank string) clears it.
 */
export interface EndUserFields {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phoneNumber?: string | null | undefined;
  identifier?: string | null | undefined;
  avatarUrl?: string | null | undefined;
  firstName?: string | null | undefined;
  middleNames?: string[] | undefined;
  lastName?: string | null | undefined;
  additionalEmails?: string[] | undefined;
  additionalPhoneNumbers?: string[] | undefined;
}

/** Column values ready for `contacts`; only the keys the caller gave. */
export interface EndUserColumns {
  name?: string;
  email?: string | null;
  phoneNumber?: string | null;
  identifier?: string | null;
  avatarUrl?: string | null;
  firstName?: string | null;
  middleNames?: string[];
  lastName?: string | null;
  additionalEmails?: string[];
  additionalPhoneNumbers?: string[];
}

/** Every profile field: a full update (Dixa's PUT) clears the ones it does not give. */
export const endUserFieldNames = [
  'name',
  'email',
  'phoneNumber',
  'identifier',
  'avatarUrl',
  'firstName',
  'middleNames',
  'lastName',
  'additionalEmails',
  'additionalPhoneNumbers',
] as const satisfies readonly (keyof EndUserFields)[];

function invalid(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `${field} ${message}`, [{ path: field, message }]);
}

/** The contact rules (contact-fields.ts), reported under this module's field names. */
function checked<T>(field: string, message: string, normalize: () => T): T {
  try {
    return normalize();
  } catch (error) {
    if (error instanceof DomainError) throw invalid(field, message);
    throw error;
  }
}

function email(field: string, value: string | null | undefined) {
  return checked(field, 'is not a valid email address', () => normalizeEmail(value));
}

function phone(field: string, value: string | null | undefined) {
  return checked(field, 'must be an E.164 phone number, e.g. +4512345678', () => normalizePhoneNumber(value));
}

function avatarUrl(value: string | null | undefined): string | null | undefined {
  const url = blankToNull(value);
  if (url === undefined || url === null) return url;
  // Rendered as an image source in agents' browsers: only web URLs, never javascript: or data:.
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw invalid('avatarUrl', 'must be an http(s) URL');
  }
  return url;
}

/** Non-blank, normalized, without repeats: one address listed twice is one address. */
function list(values: string[] | undefined, normalize: (value: string, index: number) => string | null) {
  if (values === undefined) return undefined;
  const kept = values.map((value, index) => normalize(value, index)).filter((value) => value !== null);
  return [...new Set(kept)];
}

/** PostgreSQL text cannot hold NUL: refused here, so one item of a batch fails alone. */
function assertStorable(input: EndUserFields): void {
  for (const field of endUserFieldNames) {
    const value = input[field];
    const values = Array.isArray(value) ? value : [value];
    if (values.some((text) => typeof text === 'string' && text.includes('\u0000'))) {
      throw invalid(field, 'must not contain NUL characters');
    }
  }
}

export function prepareEndUserColumns(input: EndUserFields): EndUserColumns {
  assertStorable(input);
  const columns: EndUserColumns = {
    email: email('email', input.email),
    phoneNumber: phone('phoneNumber', input.phoneNumber),
    identifier: blankToNull(input.identifier),
    avatarUrl: avatarUrl(input.avatarUrl),
    firstName: blankToNull(input.firstName),
    lastName: blankToNull(input.lastName),
    middleNames: list(input.middleNames, (value) => blankToNull(value) ?? null),
    additionalEmails: list(
      input.additionalEmails,
      (value, index) => email(`additionalEmails[${index}]`, value) ?? null,
    ),
    additionalPhoneNumbers: list(
      input.additionalPhoneNumbers,
      (value, index) => phone(`additionalPhoneNumbers[${index}]`, value) ?? null,
    ),
  };
  if (input.name !== undefined) columns.name = input.name?.trim() ?? '';
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** A full replacement: every field the input leaves out is cleared. */
export function replacementOf(input: EndUserFields): EndUserFields {
  const cleared: EndUserFields = {
    name: '',
    middleNames: [],
    additionalEmails: [],
    additionalPhoneNumbers: [],
  };
  for (const field of endUserFieldNames) {
    if (!(field in cleared)) Object.assign(cleared, { [field]: null });
  }
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return { ...cleared, ...given };
}

/** The name shown when none was given: the structured names, as a person would write them. */
export function composedName(columns: EndUserColumns): string {
  return [columns.firstName, ...(columns.middleNames ?? []), columns.lastName].filter(Boolean).join(' ');
}

export function hasEndUserFields(input: EndUserFields): boolean {
  return endUserFieldNames.some((field) => input[field] !== undefined);
}
