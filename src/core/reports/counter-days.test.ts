import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/database.js';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { upsertCounters, type CounterInput } from '../analytics/reporting-counters.js';
import { counterSeries, counterTotals, counterTotalsByKey } from './report-figures.js';
import { periodStartOf, type ReportRange } from './report-range.js';

const ACCOUNT = 11;
const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 2, 1);

/** Replies over five UTC days, every 50 minutes, by two agents; the first minutes and last of each day included. */
function replies(): CounterInput[] {
  const inputs: CounterInput[] = [];
  for (let at = START; at < START + 5 * DAY_MS; at += 50 * 60_000) {
    const index = inputs.length;
    inputs.push({
      accountId: ACCOUNT,
      metric: 'outgoing_messages',
      at: new Date(at + (index % 3) * 60_000),
      inboxId: 1,
      teamId: null,
      agentId: 100 + (index % 2),
      labels: [],
      value: null,
    });
  }
  inputs.push({ ...inputs[0]!, at: new Date(START + 2 * DAY_MS - 60_000) }); // 23:59 of day 2
  return inputs;
}

/** The hand count: inputs whose quarter hour starts inside the range, both ends included. */
function handCount(inputs: CounterInput[], range: ReportRange, agentId?: number): number {
  return inputs.filter((input) => {
    const bucket = Math.floor(input.at.getTime() / QUARTER_MS) * QUARTER_MS;
    const inRange = bucket >= range.since.getTime() && bucket <= range.until.getTime();
    return inRange && (agentId === undefined || input.agentId === agentId);
  }).length;
}

const range = (since: number, until: number, offsetHours = 0): ReportRange => ({
  since: new Date(since),
  until: new Date(until),
  offsetSeconds: offsetHours * 3600,
});

describe('report counters read whole days from the day rollup', () => {
  let testDb: TestDatabase;
  const inputs = replies();
  const account = { accountId: ACCOUNT, type: 'account' as const, key: '' };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // Two batches, so the day rows are added to, not only inserted.
    await upsertCounters(testDb.database.db, inputs.slice(0, 70));
    await upsertCounters(testDb.database.db, inputs.slice(70));
  }, 120_000);
  afterAll(() => testDb.drop());

  it('keeps each day row equal to the sum of its quarter hours', async () => {
    const mismatches = await queryRows(
      testDb.database.db,
      sql`SELECT d.metric, d.dimension, d.dimension_key, d.bucket, d.count, q.count AS quarters
          FROM reporting_counter_days d
          FULL JOIN (SELECT metric, dimension, dimension_key, date_bin('1 day', bucket, timestamptz '1970-01-01Z') AS bucket,
                       sum(count) AS count FROM reporting_counters GROUP BY 1, 2, 3, 4) q
            USING (metric, dimension, dimension_key, bucket)
          WHERE d.count IS DISTINCT FROM q.count`,
    );
    expect(mismatches).toEqual([]);
    const [days] = await queryRows<{ count: string | number }>(
      testDb.database.db,
      sql`SELECT count(*) AS count FROM reporting_counter_days WHERE dimension = 'account'`,
    );
    expect(Number(days?.count)).toBe(5);
  });

  const ranges: [string, ReportRange][] = [
    [
      'mid-day to mid-day over three days',
      range(START + 7.3 * 3_600_000, START + 3 * DAY_MS + 5 * 3_600_000),
    ],
    ['whole days, Chatwoot style (00:00:00 to 23:59:59)', range(START + DAY_MS, START + 3 * DAY_MS - 1000)],
    ['ending on the last quarter of a day', range(START, START + 2 * DAY_MS - QUARTER_MS)],
    [
      'ending a second before the last quarter of a day',
      range(START, START + 2 * DAY_MS - QUARTER_MS - 1000),
    ],
    ['inside one day', range(START + DAY_MS + 3_600_000, START + DAY_MS + 9 * 3_600_000)],
    ['a day starting off a quarter boundary', range(START + DAY_MS - 60_000, START + 2 * DAY_MS + 1)],
  ];

  it.each(ranges)('totals match the hand count: %s', async (_name, reportRange) => {
    const totals = await counterTotals(testDb.database.db, account, ['outgoing_messages'], reportRange);
    expect(totals.get('outgoing_messages')?.count ?? 0).toBe(handCount(inputs, reportRange));
    const byAgent = await counterTotalsByKey(
      testDb.database.db,
      ACCOUNT,
      'agent',
      ['outgoing_messages'],
      reportRange,
    );
    for (const agentId of [100, 101]) {
      expect(byAgent.get(String(agentId))?.get('outgoing_messages')?.count ?? 0).toBe(
        handCount(inputs, reportRange, agentId),
      );
    }
  });

  it.each([0, 5.5, -3])(
    'a daily series in offset %s h matches the hand count per local day',
    async (offset) => {
      const reportRange = range(
        START - offset * 3_600_000,
        START + 4 * DAY_MS - offset * 3_600_000 - 1000,
        offset,
      );
      const series = await counterSeries(
        testDb.database.db,
        account,
        'outgoing_messages',
        reportRange,
        'day',
      );
      const expected = new Map<number, number>();
      for (const input of inputs) {
        const bucket = Math.floor(input.at.getTime() / QUARTER_MS) * QUARTER_MS;
        if (bucket < reportRange.since.getTime() || bucket > reportRange.until.getTime()) continue;
        const period = periodStartOf(bucket, 'day', reportRange.offsetSeconds) / 1000;
        expected.set(period, (expected.get(period) ?? 0) + 1);
      }
      expect(new Map([...series].map(([period, tally]) => [period, tally.count]))).toEqual(expected);
    },
  );

  it('reads a whole day from its day row and the edges from quarter hours', async () => {
    const db = testDb.database.db;
    const day2 = new Date(START + 2 * DAY_MS).toISOString();
    // Skew the day row only: reads that use it move by 1000, reads of quarter hours do not.
    await db.execute(
      sql`UPDATE reporting_counter_days SET count = count + 1000 WHERE dimension = 'account' AND bucket = ${day2}`,
    );
    try {
      const whole = range(START + DAY_MS + 3_600_000, START + 3 * DAY_MS + 3_600_000);
      const partial = range(START + 2 * DAY_MS + QUARTER_MS, START + 3 * DAY_MS + 3_600_000);
      const count = async (reportRange: ReportRange) =>
        (await counterTotals(db, account, ['outgoing_messages'], reportRange)).get('outgoing_messages')
          ?.count;
      expect(await count(whole)).toBe(handCount(inputs, whole) + 1000);
      expect(await count(partial)).toBe(handCount(inputs, partial));
    } finally {
      await db.execute(
        sql`UPDATE reporting_counter_days SET count = count - 1000 WHERE dimension = 'account' AND bucket = ${day2}`,
      );
    }
  });
});
