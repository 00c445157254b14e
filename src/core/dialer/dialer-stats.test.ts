import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { dialerAgents, dialerAttempts } from './dialer.tables.js';
import { loadCampaignLiveState } from './dialer-stats.js';
import { callsToPlace } from './pacing.js';
import { dialerFixture } from './dialer.test-kit.js';

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
});
afterAll(async () => {
  await testDb.drop();
});

const at = new Date('2026-01-06T12:00:00Z');
const ago = (seconds: number) => new Date(at.getTime() - seconds * 1000);

/**
 * What predictive pacing is fed, read from the tables as the engine reads them: the figures that
 * made the engine over-dial where the pacing model alone held the cap.
 */
describe('the live picture predictive pacing decides on', () => {
  it('measures talk times over the calls that ended last and does not count a long call as about to end', async () => {
    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign({ mode: 'predictive' });
    const contacts = await fixture.contacts(
      campaign,
      Array.from({ length: 11 }, (_, index) => ({ phone: `3360070${String(index).padStart(4, '0')}` })),
    );
    const agent = await fixture.agent();
    const base = {
      accountId: fixture.accountId,
      campaignId: campaign.id,
      mode: 'predictive' as const,
      phoneName: 'mobile',
      outcome: 'answered' as const,
      agentId: agent,
    };
    // Ten calls, all ended within the last minutes: five short ones (30 s) and five long ones
    // (400 s), each wrapped up in 5 s, rung 10 s.
    const talks = [30, 30, 30, 30, 30, 400, 400, 400, 400, 400];
    await db.insert(dialerAttempts).values(
      talks.map((talk, index) => {
        const endedAt = ago(60 + index * 10);
        const connectedAt = new Date(endedAt.getTime() - talk * 1000);
        return {
          ...base,
          campaignContactId: contacts[index]!,
          phoneNumber: `3360070${String(index).padStart(4, '0')}`,
          placedAt: new Date(connectedAt.getTime() - 10_000),
          answeredAt: connectedAt,
          connectedAt,
          endedAt,
          wrappedUpAt: new Date(endedAt.getTime() + 5_000),
        };
      }),
    );
    // The agent has been talking for 250 s: past the mean talk time (215 s), so "mean minus
    // elapsed" said free after one wrap-up (5 s, within the ~12 s look-ahead). Of the calls that
    // lasted longer than 250 s, none ended within 15 s more: a long call, not one about to end.
    await db.insert(dialerAttempts).values({
      ...base,
      outcome: null,
      campaignContactId: contacts[10]!,
      phoneNumber: '33600700010',
      placedAt: ago(262),
      answeredAt: ago(250),
      connectedAt: ago(250),
    });
    await db.insert(dialerAgents).values({
      accountId: fixture.accountId,
      campaignId: campaign.id,
      userId: agent,
      state: 'on_call',
      stateSince: ago(250),
    });
    const { stats } = await loadCampaignLiveState(db, campaign, at);
    expect(stats.meanTalkSeconds).toBeCloseTo(215, 5);
    expect(stats.meanWrapupSeconds).toBeCloseTo(5, 5);
    expect(stats.agentsSoonFree).toBe(0);
  });

  it('reads the last 24 hours’ abandonment beside the 30 days’, and throttles on it', async () => {
    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign({ mode: 'predictive' });
    const contacts = await fixture.contacts(campaign, [{ phone: '33600710001' }]);
    const row = (outcome: 'answered' | 'abandoned', secondsAgo: number) => ({
      accountId: fixture.accountId,
      campaignId: campaign.id,
      campaignContactId: contacts[0]!,
      mode: 'predictive' as const,
      phoneName: 'mobile',
      phoneNumber: '33600710001',
      outcome,
      placedAt: ago(secondsAgo),
      answeredAt: ago(secondsAgo - 10),
      endedAt: ago(secondsAgo - 100),
    });
    // Last week: 2,000 answered calls and no abandon. Today: 300 answered, 15 abandoned (5 %).
    const lastWeek = 7 * 86_400;
    await db
      .insert(dialerAttempts)
      .values([
        ...Array.from({ length: 2_000 }, () => row('answered', lastWeek)),
        ...Array.from({ length: 285 }, () => row('answered', 3_600)),
        ...Array.from({ length: 15 }, () => row('abandoned', 3_600)),
      ]);
    for (let index = 0; index < 10; index += 1) {
      await db.insert(dialerAgents).values({
        accountId: fixture.accountId,
        campaignId: campaign.id,
        userId: await fixture.agent(),
        state: 'ready',
        stateSince: ago(30),
      });
    }
    const { stats } = await loadCampaignLiveState(db, campaign, at);
    expect(stats).toMatchObject({ abandoned30d: 15, answered30d: 2_300, abandoned24h: 15, answered24h: 300 });
    // 0.65 % over 30 days would let predictive over-dial at full target; the day's 5 % stops it.
    const decision = callsToPlace(stats);
    expect(decision.reason).toBe('abandon_cap_reached');
    expect(decision.callsToPlace).toBe(10);
    expect(decision.details.abandonRate24h).toBeCloseTo(0.05, 10);
  });
});
