import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { sipTrunks, type SipTrunkKind, type SipTrunkRow } from './sip.tables.js';

const nameOf: Record<SipTrunkKind, string> = {
  origination: 'SIP trunk origination',
  termination: 'SIP trunk termination',
};

export interface SipTrunkInput {
  properties?: Record<string, unknown> | undefined;
  options?: Record<string, unknown> | undefined;
}

export async function createSipTrunk(
  db: Db,
  accountId: number,
  kind: SipTrunkKind,
  input: SipTrunkInput,
): Promise<SipTrunkRow> {
  const [row] = await db
    .insert(sipTrunks)
    .values({ accountId, kind, properties: input.properties ?? {}, options: input.options ?? {} })
    .returning();
  if (!row) throw new Error('insert returned no SIP trunk');
  return row;
}

export async function getSipTrunk(
  db: Db,
  accountId: number,
  kind: SipTrunkKind,
  id: number,
): Promise<SipTrunkRow> {
  const [row] = await db
    .select()
    .from(sipTrunks)
    .where(and(eq(sipTrunks.accountId, accountId), eq(sipTrunks.kind, kind), eq(sipTrunks.id, id)));
  if (!row) throw notFound(nameOf[kind]);
  return row;
}

/** One page of the account's trunks of a kind and how many there are. */
export async function listSipTrunks(
  db: Db,
  accountId: number,
  kind: SipTrunkKind,
  options: { offset: number; limit: number; order: 'id' | '-id' },
): Promise<{ items: SipTrunkRow[]; total: number }> {
  const where = and(eq(sipTrunks.accountId, accountId), eq(sipTrunks.kind, kind));
  const rows = await db
    .select({ row: sipTrunks, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(sipTrunks)
    .where(where)
    .orderBy(options.order === 'id' ? asc(sipTrunks.id) : desc(sipTrunks.id))
    .limit(options.limit)
    .offset(options.offset);
  const [first] = rows;
  const items = rows.map(({ row }) => row);
  if (first) return { items, total: first.total };
  const [counted] = await db
    .select({ total: sql<number>`count(*)`.mapWith(Number) })
    .from(sipTrunks)
    .where(where);
  return { items, total: counted?.total ?? 0 };
}

/** Replaces the properties and/or options given. */
export async function editSipTrunk(
  db: Db,
  accountId: number,
  kind: SipTrunkKind,
  id: number,
  input: SipTrunkInput,
): Promise<SipTrunkRow> {
  const [row] = await db
    .update(sipTrunks)
    .set({
      ...(input.properties !== undefined && { properties: input.properties }),
      ...(input.options !== undefined && { options: input.options }),
      updatedAt: sql`now()`,
    })
    .where(and(eq(sipTrunks.accountId, accountId), eq(sipTrunks.kind, kind), eq(sipTrunks.id, id)))
    .returning();
  if (!row) throw notFound(nameOf[kind]);
  return row;
}

export async function deleteSipTrunk(
  db: Db,
  accountId: number,
  kind: SipTrunkKind,
  id: number,
): Promise<void> {
  const [row] = await db
    .delete(sipTrunks)
    .where(and(eq(sipTrunks.accountId, accountId), eq(sipTrunks.kind, kind), eq(sipTrunks.id, id)))
    .returning({ id: sipTrunks.id });
  if (!row) throw notFound(nameOf[kind]);
}
