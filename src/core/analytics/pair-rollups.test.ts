import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { reportingAggregates } from './analytics.tables.js';
import { queryMetric, recordReportingEvents, type ReportingEventInput } from './index.js';
import { groupingBits } from './record-reporting-events.js';

const ACCOUNT = 7;
const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 11, 1);

/** Conversations created over three UTC days: every channel/direction pair, some in the last minutes. */
function createdEvents(): ReportingEventInput[] {
  const events: ReportingEventInput[] = [];
  const pairs = [
    ['EMAIL', 'INBOUND', 5],
    ['EMAIL', 'OUTBOUND', 3],
    ['WIDGET_CHAT', 'INBOUND', 4],
  ] as const;
  for (let day = 0; day < 3; day += 1) {
    for (const [channel, direction, perDay] of pairs) {
      for (let index = 0; index < perDay; index += 1) {
        const id = events.length + 1;
        events.push({
          accountId: ACCOUNT,
          sourceEventId: id,
          type: 'created',
          conversationId: id,
          conversationDisplayId: id,
          channel,
          direction,
          queueId: null,
          agentId: null,
          agentIds: [],
          durationMs: null,
          handlingMs: null,
          score: null,
          isPositive: null,
          occurredAt: new Date(START + day * DAY_MS + index * 3_600_000 + 7 * 60_000),
        });
      }
    }
  }
  return events;
}

describe('analytics day rollups per pair of dimensions', () => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    await recordReportingEvents(testDb.database.db, createdEvents());
  }, 120_000);
  afterAll(() => testDb.drop());

  it('answers a two-filter query over whole days from day rows of that pair, with the hand count', async () => {
    const db = testDb.database.db;
    const pair = groupingBits.channel | groupingBits.initial_direction;

    const [count] = await queryMetric(db, {
      accountId: ACCOUNT,
      metricId: 'created_conversations',
      period: { start: new Date(START), end: new Date(START + 3 * DAY_MS) },
      filters: [
        { attribute: 'channel', values: ['EMAIL'] },
        { attribute: 'initial_direction', values: ['INBOUND'] },
      ],
    });
    const dayRows = await db
      .select()
      .from(reportingAggregates)
      .where(
        and(
          eq(reportingAggregates.accountId, ACCOUNT),
          eq(reportingAggregates.grain, 'day'),
          eq(reportingAggregates.grouping, pair),
        ),
      );

    expect(count).toMatchObject({ measure: 'Count', value: 15 });
    // One row per day and channel/direction pair: 3 days × 3 pairs.
    expect(dayRows).toHaveLength(9);
    expect(dayRows.find((row) => row.channel === 'EMAIL' && row.direction === 'OUTBOUND')?.count).toBe(3);
  });
});
