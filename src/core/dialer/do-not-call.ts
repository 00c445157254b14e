import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { toPage, type Page } from '../../platform/db/keyset.js';
import { DomainError, notFound, type ErrorDetail } from '../../platform/errors.js';
import { checkPhone } from '../campaigns/campaign-contact-phones.js';
import { doNotCallNumbers } from './dialer.tables.js';

/**
 * The account's do-not-call list: numbers the dialer never calls (it checks them at every pick)
 * and that campaign contacts are excluded for (`bloctel`). Numbers are kept as the digits of their
 * E.164 form, normalized as campaign contacts' phones are, so "+33 6 12 34 56 78" and
 * "0033612345678" are one entry.
 */

export interface DoNotCallEntry {
  /** E.164, with its "+". */
  phoneNumber: string;
  reason: string;
  createdAt: Date;
}

/** Accepted in one request: enough for a day's opt-outs, small enough for one statement. */
export const MAX_DO_NOT_CALL_NUMBERS = 1000;

/** The stored form (E.164 digits) of a phone number, or null when it is not a valid number. */
export function doNotCallDigits(raw: string): string | null {
  const check = checkPhone(raw);
  return check.isValid ? check.digits : null;
}

function toEntry(row: typeof doNotCallNumbers.$inferSelect): DoNotCallEntry {
  return { phoneNumber: `+${row.phoneNumber}`, reason: row.reason, createdAt: row.createdAt };
}

function normalizeAll(numbers: readonly string[], path: string): string[] {
  const problems: ErrorDetail[] = [];
  const digits = numbers.map((raw, index) => {
    const normalized = doNotCallDigits(raw);
    if (normalized === null)
      problems.push({ path: `${path}.${index}`, message: 'is not a valid phone number' });
    return normalized ?? '';
  });
  if (problems.length > 0) {
    throw new DomainError('VALIDATION_FAILED', 'Some phone numbers are not valid', problems);
  }
  return [...new Set(digits)];
}

/**
 * Adds numbers in one statement; numbers already listed keep their first reason. All or nothing:
 * one invalid number refuses the request.
 */
export async function addDoNotCallNumbers(
  db: Db,
  input: { accountId: number; numbers: readonly string[]; reason?: string | undefined },
): Promise<{ added: DoNotCallEntry[]; alreadyListed: string[] }> {
  if (input.numbers.length > MAX_DO_NOT_CALL_NUMBERS) {
    throw new DomainError('VALIDATION_FAILED', `At most ${MAX_DO_NOT_CALL_NUMBERS} numbers at once`, [
      { path: 'numbers', message: `must hold at most ${MAX_DO_NOT_CALL_NUMBERS} numbers` },
    ]);
  }
  const digits = normalizeAll(input.numbers, 'numbers');
  if (digits.length === 0) return { added: [], alreadyListed: [] };
  const rows = await db
    .insert(doNotCallNumbers)
    .values(
      digits.map((phoneNumber) => ({ accountId: input.accountId, phoneNumber, reason: input.reason ?? '' })),
    )
    .onConflictDoNothing()
    .returning();
  const added = new Set(rows.map((row) => row.phoneNumber));
  return {
    added: rows.map(toEntry),
    alreadyListed: digits.filter((number) => !added.has(number)).map((number) => `+${number}`),
  };
}

export async function removeDoNotCallNumber(db: Db, accountId: number, raw: string): Promise<void> {
  const digits = doNotCallDigits(raw);
  const removed =
    digits === null
      ? []
      : await db
          .delete(doNotCallNumbers)
          .where(and(eq(doNotCallNumbers.accountId, accountId), eq(doNotCallNumbers.phoneNumber, digits)))
          .returning({ phoneNumber: doNotCallNumbers.phoneNumber });
  if (removed.length === 0) throw notFound('Do-not-call number');
}

/** One page in number order; the cursor is the last number's digits. */
export async function listDoNotCallNumbers(
  db: Db,
  options: { accountId: number; after?: string | undefined; limit: number },
): Promise<Page<DoNotCallEntry, string>> {
  const rows = await db
    .select()
    .from(doNotCallNumbers)
    .where(
      and(
        eq(doNotCallNumbers.accountId, options.accountId),
        options.after === undefined ? undefined : gt(doNotCallNumbers.phoneNumber, options.after),
      ),
    )
    .orderBy(asc(doNotCallNumbers.phoneNumber))
    .limit(options.limit + 1);
  const page = toPage(rows, options.limit, (row) => row.phoneNumber);
  return { items: page.items.map(toEntry), nextCursor: page.nextCursor };
}

/**
 * Which of these numbers (any form) the account must not call, as E.164 digits: one query for
 * any number of them. Invalid numbers are never listed, so they are never in the answer.
 */
export async function listedDoNotCallDigits(
  db: Db,
  accountId: number,
  numbers: readonly string[],
): Promise<Set<string>> {
  const digits = [...new Set(numbers.map(doNotCallDigits).filter((value) => value !== null))];
  if (digits.length === 0) return new Set();
  const rows = await db
    .select({ phoneNumber: doNotCallNumbers.phoneNumber })
    .from(doNotCallNumbers)
    .where(and(eq(doNotCallNumbers.accountId, accountId), inArray(doNotCallNumbers.phoneNumber, digits)));
  return new Set(rows.map((row) => row.phoneNumber));
}
