import { afterAll, describe, expect, it } from 'vitest';
import { backendName, createTestDatabase, type TestDatabase } from '../database.js';
import { chaosViolations } from './chaos-verdict.js';
import { ciScale, runChaos } from './run-chaos.js';

/**
 * The reliability suite, kept short for CI (`npm run bench:chaos` runs it longer): a real server
 * process killed during writes and during webhook delivery, and receivers that hang, fail at random
 * and answer `Retry-After: 0`.
 */
describe(`reliability under kill -9 and hostile receivers (${backendName})`, () => {
  let testDb: TestDatabase | undefined;
  afterAll(async () => {
    await testDb?.drop();
  });

  it('loses no acknowledged write or event, keeps accounts isolated and honours retry bounds', async () => {
    if (process.env.TEST_DATABASE_URL) testDb = await createTestDatabase();

    const report = await runChaos(ciScale, testDb?.url);

    // A loaded CI machine runs other test files beside this one: the 2 s goal is the benchmark's;
    // here 5 s still fails whenever a hanging endpoint holds the delivery capacity (15 s timeouts).
    expect(chaosViolations(report, { maxAddedDelayMs: 5_000 }), JSON.stringify(report, null, 2)).toEqual([]);
    expect(report.killDuringWrites.acknowledged).toBeGreaterThanOrEqual(ciScale.killAfterAcks);
    expect(report.killDuringDelivery.inFlightAtKill).toBeGreaterThan(0);
  }, 300_000);
});
