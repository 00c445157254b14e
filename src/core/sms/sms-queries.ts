import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { smsMessages, type SmsRow } from './sms.tables.js';

/** A list returns at most this many SMS (the oldest first); narrow the period for more. */
export const SMS_LIST_LIMIT = 1000;

export async function findSms(db: Db, accountId: number, id: number): Promise<SmsRow | null> {
  const [row] = await db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.accountId, accountId), eq(smsMessages.id, id)));
  return row ?? null;
}

/** The account's SMS of one direction created in [from, to], oldest first (one index range scan). */
export async function listSms(
  db: Db,
  accountId: number,
  filter: { direction: 'IN' | 'OUT'; from: Date; to: Date; limit?: number },
): Promise<SmsRow[]> {
  return db
    .select()
    .from(smsMessages)
    .where(
      and(
        eq(smsMessages.accountId, accountId),
        eq(smsMessages.direction, filter.direction),
        gte(smsMessages.createdAt, filter.from),
        lte(smsMessages.createdAt, filter.to),
      ),
    )
    .orderBy(asc(smsMessages.createdAt), asc(smsMessages.id))
    .limit(Math.min(filter.limit ?? SMS_LIST_LIMIT, SMS_LIST_LIMIT));
}
