import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { didAreaCodes, phoneNumbers, type DidAreaCodeRow, type NumberType } from './numbers.tables.js';

/** How many numbers the store has for sale, per class (CALLR `DID.Store.Availability`). */
export interface Availability {
  CLASSIC: number;
  GOLD: number;
}

export interface AreaCodeWithAvailability extends DidAreaCodeRow {
  available: Availability;
}

/** English names of the DID types, for `DID.Type.label`. */
export const numberTypeLabels: Record<NumberType, string> = {
  GEOGRAPHIC: 'Geographic',
  MOBILE: 'Mobile',
  'NON-GEOGRAPHIC': 'Non-geographic',
  PERSONAL: 'Personal',
  PLATFORM: 'Platform',
  SHAREDREVENUE: 'Shared revenue',
  'SMS-ONLY': 'SMS only',
  SPECIAL: 'Special',
  TOLLFREE: 'Toll-free',
  VERIFIED: 'Verified',
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country's English name ("France" for FR); the code itself when Intl does not know it. */
export function countryLabel(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

// Available numbers counted per class over the area codes' join (one grouped query, no N+1).
const classicCount = sql<number>`count(${phoneNumbers.id}) FILTER (WHERE ${phoneNumbers.numberClass} = 'CLASSIC')::int`;
const goldCount = sql<number>`count(${phoneNumbers.id}) FILTER (WHERE ${phoneNumbers.numberClass} = 'GOLD')::int`;
const availableJoin = and(
  eq(phoneNumbers.state, 'available'),
  eq(phoneNumbers.countryCode, didAreaCodes.countryCode),
  eq(phoneNumbers.type, didAreaCodes.type),
  eq(phoneNumbers.localPrefix, didAreaCodes.localPrefix),
);

/** The countries the inventory has area codes in, with what is for sale in each. */
export async function listStoreCountries(
  db: Db,
): Promise<{ code: string; label: string; available: Availability }[]> {
  const rows = await db
    .select({ code: didAreaCodes.countryCode, classic: classicCount, gold: goldCount })
    .from(didAreaCodes)
    .leftJoin(phoneNumbers, availableJoin)
    .groupBy(didAreaCodes.countryCode)
    .orderBy(asc(didAreaCodes.countryCode));
  return rows.map((row) => ({
    code: row.code,
    label: countryLabel(row.code),
    available: { CLASSIC: row.classic, GOLD: row.gold },
  }));
}

/** A country's area codes (of one type, or all), ordered by type then prefix. */
export async function listAreaCodes(
  db: Db,
  filter: { countryCode: string; type?: NumberType | null },
): Promise<AreaCodeWithAvailability[]> {
  const conditions: SQL[] = [eq(didAreaCodes.countryCode, filter.countryCode)];
  if (filter.type) conditions.push(eq(didAreaCodes.type, filter.type));
  const rows = await db
    .select({ areaCode: didAreaCodes, classic: classicCount, gold: goldCount })
    .from(didAreaCodes)
    .leftJoin(phoneNumbers, availableJoin)
    .where(and(...conditions))
    .groupBy(didAreaCodes.id)
    .orderBy(asc(didAreaCodes.type), asc(didAreaCodes.localPrefix), asc(didAreaCodes.id));
  return rows.map((row) => ({ ...row.areaCode, available: { CLASSIC: row.classic, GOLD: row.gold } }));
}

/** The DID types a country's inventory has, with what is for sale of each. */
export async function listNumberTypes(
  db: Db,
  countryCode: string,
): Promise<{ code: NumberType; label: string; available: Availability }[]> {
  const rows = await db
    .select({ code: didAreaCodes.type, classic: classicCount, gold: goldCount })
    .from(didAreaCodes)
    .leftJoin(phoneNumbers, availableJoin)
    .where(eq(didAreaCodes.countryCode, countryCode))
    .groupBy(didAreaCodes.type)
    .orderBy(asc(didAreaCodes.type));
  return rows.map((row) => ({
    code: row.code,
    label: numberTypeLabels[row.code],
    available: { CLASSIC: row.classic, GOLD: row.gold },
  }));
}

export async function findAreaCode(db: Db, id: number): Promise<DidAreaCodeRow | null> {
  const [row] = await db.select().from(didAreaCodes).where(eq(didAreaCodes.id, id));
  return row ?? null;
}
