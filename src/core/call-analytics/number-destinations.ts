import { and, eq, notExists, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/database.js';
import { describeNumber } from '../lookups/number-infos.js';
import { telephonyCalls } from '../telephony/telephony.tables.js';
import { numberDestinations } from './number-destinations.tables.js';

/** How many new numbers are described per round trip. */
const DESCRIBE_BATCH = 1000;

/** A number's destination as CDRs name it: its country and "France MOBILE" (country and line type). */
export function destinationOf(number: string): { countryCode: string; billingLabel: string } {
  const facts = describeNumber(number);
  return {
    countryCode: facts.countryCode,
    billingLabel: [facts.location, facts.type].filter((part) => part !== '').join(' '),
  };
}

/**
 * Describes the numbers in `column` of the calls matching `where` that are not described yet, so
 * a GROUP BY can join them. Only numbers never seen before cross into JavaScript (libphonenumber
 * has no SQL form), once per instance; calls themselves are never loaded.
 */
export async function describeCallNumbers(
  db: Db,
  where: SQL | undefined,
  column: AnyPgColumn,
): Promise<void> {
  for (;;) {
    const unknown = await db
      .selectDistinct({ number: sql<string>`${column}` })
      .from(telephonyCalls)
      .where(
        and(
          where,
          notExists(
            db
              .select({ one: sql`1` })
              .from(numberDestinations)
              .where(eq(numberDestinations.number, column)),
          ),
        ),
      )
      .limit(DESCRIBE_BATCH);
    if (unknown.length === 0) return;
    await db
      .insert(numberDestinations)
      .values(unknown.map(({ number }) => ({ number, ...destinationOf(number) })))
      .onConflictDoNothing();
    if (unknown.length < DESCRIBE_BATCH) return;
  }
}
