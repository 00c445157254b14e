import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { smsMessages } from '../sms/sms.tables.js';
import { bucketStart, type AnalyticsRange, type HistoryStep } from './analytics-range.js';

/** What analytics count for a set of SMS. */
export interface SmsFigures {
  count: number;
  /** Parts billed (a long SMS is several). */
  parts: number;
  debitCents: number;
}

type SmsDirection = 'IN' | 'OUT';

const s = smsMessages;

const figures = {
  count: sql<number>`count(*)::int`,
  parts: sql<number>`coalesce(sum(${s.parts}), 0)::float8`,
  debitCents: sql<number>`coalesce(sum(${s.debitCents}), 0)::float8`,
};

/** SMS of the account created in the range: the SMS list index, both directions. */
function smsInRange(accountId: number, range: AnalyticsRange) {
  return and(eq(s.accountId, accountId), gte(s.createdAt, range.from), lte(s.createdAt, range.to));
}

const emptySmsFigures: SmsFigures = { count: 0, parts: 0, debitCents: 0 };

function pick(row: SmsFigures): SmsFigures {
  return { count: row.count, parts: row.parts, debitCents: row.debitCents };
}

export async function summarizeSms(
  db: Db,
  accountId: number,
  range: AnalyticsRange,
): Promise<Record<SmsDirection, SmsFigures>> {
  const rows = await db
    .select({ direction: s.direction, ...figures })
    .from(s)
    .where(smsInRange(accountId, range))
    .groupBy(s.direction);
  const of = (direction: SmsDirection) => rows.find((row) => row.direction === direction);
  const inbound = of('IN');
  const outbound = of('OUT');
  return { IN: inbound ? pick(inbound) : emptySmsFigures, OUT: outbound ? pick(outbound) : emptySmsFigures };
}

/** Per-bucket figures of each direction, oldest first; buckets without SMS are left out. */
export async function smsHistory(
  db: Db,
  accountId: number,
  range: AnalyticsRange,
  step: HistoryStep,
): Promise<Record<SmsDirection, (SmsFigures & { date: string })[]>> {
  const date = bucketStart(s.createdAt, step);
  const rows = await db
    .select({ direction: s.direction, date, ...figures })
    .from(s)
    .where(smsInRange(accountId, range))
    .groupBy(s.direction, date)
    .orderBy(asc(date));
  const history: Record<SmsDirection, (SmsFigures & { date: string })[]> = { IN: [], OUT: [] };
  for (const row of rows) history[row.direction].push({ ...pick(row), date: row.date });
  return history;
}
