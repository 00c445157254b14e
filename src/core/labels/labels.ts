import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { labels, type LabelRow } from './labels.tables.js';

/** The organization's whole tag catalogue, by name: a few hundred rows at most, so no paging. */
export function listLabels(db: Db, accountId: number): Promise<LabelRow[]> {
  return db
    .select()
    .from(labels)
    .where(eq(labels.accountId, accountId))
    .orderBy(asc(sql`lower(${labels.name})`), asc(labels.id));
}

export async function findLabelByUuid(db: Db, accountId: number, uuid: string): Promise<LabelRow | null> {
  const [row] = await db
    .select()
    .from(labels)
    .where(and(eq(labels.accountId, accountId), eq(labels.uuid, uuid)));
  return row ?? null;
}

export async function getLabelByUuid(db: Db, accountId: number, uuid: string): Promise<LabelRow> {
  const row = await findLabelByUuid(db, accountId, uuid);
  if (!row) throw notFound('Tag');
  return row;
}

/** The catalogue rows of the given names (case-insensitive), in the order of `names`. */
export async function listLabelsByNames(db: Db, accountId: number, names: string[]): Promise<LabelRow[]> {
  if (names.length === 0) return [];
  const rows = await db
    .select()
    .from(labels)
    .where(
      and(
        eq(labels.accountId, accountId),
        inArray(
          sql`lower(${labels.name})`,
          names.map((name) => name.toLowerCase()),
        ),
      ),
    );
  const byName = new Map(rows.map((row) => [row.name.toLowerCase(), row]));
  return [...new Set(names.map((name) => name.toLowerCase()))].flatMap((name) => byName.get(name) ?? []);
}
