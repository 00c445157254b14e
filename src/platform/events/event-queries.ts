import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { toPage, type Page } from '../db/keyset.js';
import { events, type EventRow } from './events.tables.js';

export interface ListEventsOptions {
  accountId: number;
  type?: string | undefined;
  aggregateType?: string | undefined;
  aggregateId?: string | undefined;
  /** Keyset cursor: only events with a smaller id (newest first). */
  beforeId?: number | undefined;
  limit: number;
}

export async function listEvents(db: Db, options: ListEventsOptions): Promise<Page<EventRow>> {
  const conditions: SQL[] = [eq(events.accountId, options.accountId)];
  if (options.type) conditions.push(eq(events.type, options.type));
  if (options.aggregateType) conditions.push(eq(events.aggregateType, options.aggregateType));
  if (options.aggregateId) conditions.push(eq(events.aggregateId, options.aggregateId));
  if (options.beforeId !== undefined) conditions.push(lt(events.id, options.beforeId));
  const rows = await db
    .select()
    .from(events)
    .where(and(...conditions))
    .orderBy(desc(events.id))
    .limit(options.limit + 1);
  return toPage(rows, options.limit, (row) => row.id);
}

export async function findEvent(db: Db, accountId: number, id: number): Promise<EventRow | null> {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.accountId, accountId), eq(events.id, id)));
  return row ?? null;
}
