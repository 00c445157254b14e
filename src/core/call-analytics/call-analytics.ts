import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { phoneNumbers } from '../numbers/numbers.tables.js';
import { telephonyCalls } from '../telephony/telephony.tables.js';
import { bucketStart, type AnalyticsRange, type HistoryStep } from './analytics-range.js';
import { describeCallNumbers } from './number-destinations.js';
import { numberDestinations } from './number-destinations.tables.js';

export type CallDirection = 'IN' | 'OUT';

/** What analytics count for a set of calls (CDRs). */
export interface CallFigures {
  count: number;
  /** Calls that were answered: the average length is over these. */
  answered: number;
  /** Seconds talked, summed per call as each CDR rounds its `duration_answered`. */
  durationSeconds: number;
  debitCents: number;
}

const t = telephonyCalls;

const figures = {
  count: sql<number>`count(*)::int`,
  answered: sql<number>`count(${t.answeredAt})::int`,
  durationSeconds: sql<number>`coalesce(sum(greatest(0, round(extract(epoch from (${t.endedAt} - ${t.answeredAt}))::numeric))), 0)::float8`,
  debitCents: sql<number>`coalesce(sum(${t.debitCents}), 0)::float8`,
};

/** Ended calls of the account started in the range: one range of the CDR index per direction. */
function endedCalls(accountId: number, directions: CallDirection[], range: AnalyticsRange): SQL | undefined {
  return and(
    eq(t.accountId, accountId),
    inArray(t.direction, directions),
    gte(t.startedAt, range.from),
    lte(t.startedAt, range.to),
    eq(t.status, 'ended'),
  );
}

export const emptyCallFigures: CallFigures = { count: 0, answered: 0, durationSeconds: 0, debitCents: 0 };

/** Both directions' figures; inbound adds how many distinct numbers called. */
export async function summarizeCalls(
  db: Db,
  accountId: number,
  range: AnalyticsRange,
): Promise<{ IN: CallFigures & { uniqueCallers: number }; OUT: CallFigures }> {
  const rows = await db
    .select({
      direction: t.direction,
      ...figures,
      uniqueCallers: sql<number>`count(DISTINCT ${t.cli}) FILTER (WHERE ${t.cli} NOT IN ('', 'BLOCKED'))::int`,
    })
    .from(t)
    .where(endedCalls(accountId, ['IN', 'OUT'], range))
    .groupBy(t.direction);
  const of = (direction: CallDirection) => rows.find((row) => row.direction === direction);
  const inbound = of('IN');
  const outbound = of('OUT');
  return {
    IN: inbound
      ? pickFigures(inbound, { uniqueCallers: inbound.uniqueCallers })
      : { ...emptyCallFigures, uniqueCallers: 0 },
    OUT: outbound ? pickFigures(outbound, {}) : emptyCallFigures,
  };
}

function pickFigures<E extends object>(row: CallFigures, extra: E): CallFigures & E {
  return {
    count: row.count,
    answered: row.answered,
    durationSeconds: row.durationSeconds,
    debitCents: row.debitCents,
    ...extra,
  };
}

/** Per-bucket figures of each direction, oldest first; buckets without calls are left out. */
export async function callHistory(
  db: Db,
  accountId: number,
  range: AnalyticsRange,
  step: HistoryStep,
): Promise<Record<CallDirection, (CallFigures & { date: string })[]>> {
  const date = bucketStart(t.startedAt, step);
  const rows = await db
    .select({ direction: t.direction, date, ...figures })
    .from(t)
    .where(endedCalls(accountId, ['IN', 'OUT'], range))
    .groupBy(t.direction, date)
    .orderBy(asc(date));
  const history: Record<CallDirection, (CallFigures & { date: string })[]> = { IN: [], OUT: [] };
  for (const row of rows) history[row.direction].push(pickFigures(row, { date: row.date }));
  return history;
}

interface DimensionQuery {
  accountId: number;
  direction: CallDirection;
  range: AnalyticsRange;
}

/** Figures per voice app (`appId` null: calls placed without one, e.g. broadcasts). */
export async function callsByApp(db: Db, query: DimensionQuery) {
  return db
    .select({ appId: t.voiceAppId, ...figures })
    .from(t)
    .where(endedCalls(query.accountId, [query.direction], query.range))
    .groupBy(t.voiceAppId)
    .orderBy(desc(figures.count), asc(t.voiceAppId));
}

/** Figures per country of the other party: the number called (OUT) or the caller (IN). */
export async function callsByCountry(db: Db, query: DimensionQuery) {
  const party = query.direction === 'IN' ? t.cli : t.number;
  const where = endedCalls(query.accountId, [query.direction], query.range);
  await describeCallNumbers(db, where, party);
  const d = numberDestinations;
  return db
    .select({ countryCode: d.countryCode, ...figures })
    .from(t)
    .innerJoin(d, eq(d.number, party))
    .where(where)
    .groupBy(d.countryCode)
    .orderBy(desc(figures.count), asc(d.countryCode));
}

/** Figures per destination as billed ("France MOBILE"): the number dialled, or the DID called. */
export async function callsByDestination(db: Db, query: DimensionQuery) {
  const where = endedCalls(query.accountId, [query.direction], query.range);
  await describeCallNumbers(db, where, t.number);
  const d = numberDestinations;
  return db
    .select({ billingLabel: d.billingLabel, ...figures })
    .from(t)
    .innerJoin(d, eq(d.number, t.number))
    .where(where)
    .groupBy(d.billingLabel)
    .orderBy(desc(figures.count), asc(d.billingLabel));
}

/**
 * Figures per DID of the account: the DID called (IN) or presented as caller id (OUT). Calls on
 * numbers the account no longer holds are not counted: the DID is what is being reported on.
 */
export async function callsByDid(db: Db, query: DimensionQuery) {
  const p = phoneNumbers;
  const did = query.direction === 'IN' ? t.number : t.cli;
  return db
    .select({ didId: p.id, number: p.number, ...figures })
    .from(t)
    .innerJoin(p, and(eq(p.number, did), eq(p.accountId, query.accountId)))
    .where(endedCalls(query.accountId, [query.direction], query.range))
    .groupBy(p.id, p.number)
    .orderBy(desc(figures.count), asc(p.id));
}
