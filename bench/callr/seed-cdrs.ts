import { sql } from 'drizzle-orm';
import type { Db } from '../../src/platform/db/database.js';

/** One CDR every 8.64 s: 1,000,000 span 100 days, so an hour holds about 417 of them. */
export const CDR_SPACING_SECONDS = 8.64;
const CHUNK = 100_000;

/** The number the `index`-th CDR dialled (or was called on): 100,000 distinct French mobiles. */
export function benchNumber(index: number): string {
  return `+3361${String(index % 100_000).padStart(7, '0')}`;
}

/**
 * Ended calls straight into `telephony_calls`, one `INSERT … SELECT generate_series` per chunk:
 * a quarter inbound, a fifth of the rest unanswered, durations of 0 to 10 minutes.
 */
export async function seedCdrs(db: Db, accountId: number, count: number, firstStartedAt: Date) {
  const first = firstStartedAt.toISOString();
  for (let from = 1; from <= count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK - 1);
    await db.execute(sql`
      INSERT INTO telephony_calls (account_id, direction, kind, package_name, number, cli, status,
        dial_status, hangup_cause, hangup_source, started_at, answered_at, ended_at, duration_billed, debit_cents)
      SELECT ${accountId}, CASE WHEN g % 4 = 0 THEN 'IN' ELSE 'OUT' END, 'realtime', 'REALTIME',
        '+3361' || lpad((g % 100000)::text, 7, '0'), '+33170000000', 'ended',
        CASE WHEN g % 5 = 0 THEN 'NOANSWER' ELSE 'ANSWER' END, 16, 'CALLEE',
        started, CASE WHEN g % 5 = 0 THEN NULL ELSE started + interval '5 s' END,
        started + interval '5 s' + (g % 600) * interval '1 s',
        CASE WHEN g % 5 = 0 THEN 0 ELSE g % 600 END, CASE WHEN g % 5 = 0 THEN 0 ELSE ((g % 600) / 60 + 1) * 2 END
      FROM generate_series(${from}::int, ${to}::int) AS g,
        LATERAL (SELECT ${first}::timestamptz + g * ${CDR_SPACING_SECONDS}::double precision * interval '1 s' AS started) AS s`);
  }
  await db.execute(sql`ANALYZE telephony_calls`);
}
