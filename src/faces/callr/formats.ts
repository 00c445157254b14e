import { z } from 'zod';

/**
 * CALLR's value formats (callr.objects.json, "format"): datetimes in UTC with a space, amounts as
 * strings of cents, E.164 numbers.
 */

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `datetime`: "2012-04-24 23:42:00" (UTC). */
export function callrDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** `datetime_ms`: "2012-04-24 23:42:00.123" (UTC). */
export function callrDateTimeMs(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

/** `datetime_ms_iso`: "2012-04-24T23:42:00.123Z". */
export function callrIsoDateTime(date: Date): string {
  return date.toISOString();
}

/** A CALLR date-only value: "2012-04-24" (UTC). */
export function callrDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** `amount`: cents with two decimals, "1000.00" for 10 EUR. */
export function callrAmount(cents: number): string {
  return cents.toFixed(2);
}

/** `amount_4`: cents with four decimals, "1000.0000" for 10 EUR. */
export function callrAmount4(cents: number): string {
  return cents.toFixed(4);
}

const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?Z?$/;

/** Parses "YYYY-MM-DD HH:MM:SS" (seconds, time and milliseconds optional) as UTC; null when invalid. */
export function parseCallrDateTime(value: string): Date | null {
  const match = dateTimePattern.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', ms = '0'] = match;
  const date = new Date(
    Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
      Number(ms.padEnd(3, '0')),
    ),
  );
  // Date.UTC rolls 2024-02-31 over into March; a calendar that does not have the day is an error.
  if (callrDate(date) !== `${year}-${month}-${day}`) return null;
  return date;
}

/** A `datetime` param: "YYYY-MM-DD HH:MM:SS" in UTC, as a Date. */
export const callrDateTimeParam = z.string().transform((value, context) => {
  const date = parseCallrDateTime(value);
  if (!date) {
    context.addIssue({ code: 'custom', message: `expected "YYYY-MM-DD HH:MM:SS" (UTC), got "${value}"` });
    return z.NEVER;
  }
  return date;
});

/** `phone_number`: E.164 "+CCNSN". */
export const e164Param = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{5,14}$/, 'expected an E.164 number such as "+33678912345"');
