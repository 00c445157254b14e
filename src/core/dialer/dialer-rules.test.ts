import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/database.js';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { campaignContacts, dialerCalendars, type CampaignRow } from '../campaigns/campaigns.tables.js';
import { dialerDecisions, doNotCallNumbers } from './dialer.tables.js';
import { acceptPreview, dialerTick, joinCampaign, loadAgent, previewNext, skipPreview } from './dialer.js';
import { dialerAttempts } from './dialer.tables.js';
import { dialerFixture, virtualEngine } from './dialer.test-kit.js';
import { PREVIEW_OFFER_HOLD_MS } from './preview.js';

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
});
afterAll(async () => {
  await testDb.drop();
});

const START = new Date('2026-01-05T08:00:00Z'); // a Monday
const hoursAgo = (hours: number) => new Date(START.getTime() - hours * 3_600_000);

async function joinAgents(
  fixture: Awaited<ReturnType<typeof dialerFixture>>,
  campaign: CampaignRow,
  count: number,
) {
  const engineClock = { now: () => START, setTimer: () => () => undefined };
  for (let index = 0; index < count; index += 1) {
    const userId = await fixture.agent();
    await joinCampaign(db, { accountId: fixture.accountId, campaignId: campaign.id, userId }, engineClock);
  }
}

async function dialledInOrder(campaignId: number): Promise<number[]> {
  const rows = await db
    .select({ contactId: dialerDecisions.campaignContactId })
    .from(dialerDecisions)
    .where(and(eq(dialerDecisions.campaignId, campaignId), eq(dialerDecisions.kind, 'dial')))
    .orderBy(asc(dialerDecisions.id));
  return rows.map((row) => row.contactId ?? 0);
}

describe('which contacts the dialer picks', () => {
  it('dials only contacts every rule allows, by priority then retry date', async () => {
    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign({ maxTries: 5 });
    const [closedCalendar] = await db
      .insert(dialerCalendars)
      .values({
        accountId: fixture.accountId,
        name: 'Nights only',
        timezone: 'UTC',
        weeklyWindows: { '1': [{ start: '20:00', end: '22:00' }] },
      })
      .returning();
    const otherAgent = await fixture.agent();
    await db.insert(doNotCallNumbers).values({ accountId: fixture.accountId, phoneNumber: '33600000106' });
    const ids = await fixture.contacts(campaign, [
      { phone: '33600000101', priority: 30 }, // 0 eligible, first
      { phone: '33600000102', priority: 5 }, // 1 eligible, last
      { phone: '33600000103', triesNumber: 1, retryAt: new Date(START.getTime() + 3_600_000) }, // 2 retry later
      { phone: '33600000104', triesNumber: 1, retryAt: hoursAgo(2), lastAttemptAt: hoursAgo(96) }, // 3 retry due
      { phone: '33600000105', excluded: true, excludedDetail: 'manual' }, // 4 excluded
      { phone: '33600000106' }, // 5 do not call
      { phone: '33600000107', triesNumber: 1, retryAt: hoursAgo(1), lastAttemptAt: hoursAgo(24) }, // 6 within 72 h
      {
        phone: '33600000108',
        triesNumber: 1,
        retryAt: hoursAgo(3),
        lastAttemptAt: hoursAgo(5),
        isCallback: true,
      }, // 7 callback
      { phone: '33600000109', triesNumber: 5, retryAt: hoursAgo(1), lastAttemptAt: hoursAgo(100) }, // 8 max tries
      {
        phone: '33600000110',
        triesNumber: 1,
        retryAt: hoursAgo(1),
        lastAttemptAt: hoursAgo(100),
        wrapupStatus: 'argued',
      }, // 9 final
      { phone: '33600000111', minCallingAt: new Date(START.getTime() + 60_000) }, // 10 not yet
      { phone: '33600000112', maxCallingAt: hoursAgo(1) }, // 11 too late
      { phone: '33600000113', state: 'processing_in_progress' }, // 12 on a call
      { phone: '33600000114', triesNumber: 2, lastAttemptAt: hoursAgo(100) }, // 13 tried, no retry date: finished
      { phone: '33600000115', calendarId: closedCalendar?.id ?? null }, // 14 own calendar closed
      { phone: '33600000116', assignedAgentId: otherAgent }, // 15 someone else's
    ]);
    await joinAgents(fixture, campaign, 20);
    const engine = virtualEngine(db, {
      start: START,
      outcomeWeights: { answer: 0, no_answer: 1, busy: 0, machine: 0, invalid_number: 0 },
    });

    const result = await dialerTick(engine.deps, campaign.id);

    // Priority 30 first; then the priority-10 contacts by retry date (earliest first, none last); priority 5 last.
    expect(await dialledInOrder(campaign.id)).toEqual([ids[0], ids[7], ids[3], ids[1]]);
    expect(result.attemptIds).toHaveLength(4);
    const dialled = engine.simulator
      .allCalls()
      .map((call) => call.request.to)
      .sort();
    expect(dialled).toEqual(['33600000101', '33600000102', '33600000104', '33600000108']);
  });

  it('never dials outside the calling window (in its time zone) nor on a holiday, and records why', async () => {
    const fixture = await dialerFixture(db);
    const paris = { timezone: 'Europe/Paris', callingWindows: { '1': [{ start: '09:00', end: '12:00' }] } };
    const campaign = await fixture.campaign(paris);
    const holiday = await fixture.campaign({ ...paris, holidays: ['2026-01-05'] });
    await fixture.contacts(campaign, [{ phone: '33600000201' }]);
    await fixture.contacts(holiday, [{ phone: '33600000202' }]);
    await joinAgents(fixture, campaign, 1);
    await joinAgents(fixture, holiday, 1);
    // 07:30 UTC is 08:30 in Paris: before the window.
    const engine = virtualEngine(db, { start: new Date('2026-01-05T07:30:00Z') });

    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(0);
    const [skip] = await db.select().from(dialerDecisions).where(eq(dialerDecisions.campaignId, campaign.id));
    expect(skip).toMatchObject({ kind: 'skip', reason: 'outside_calling_window' });

    await engine.advance(31 * 60_000); // 09:01 in Paris
    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(1);
    expect((await dialerTick(engine.deps, holiday.id)).attemptIds).toHaveLength(0);
    const holidayDecisions = await db
      .select()
      .from(dialerDecisions)
      .where(eq(dialerDecisions.campaignId, holiday.id));
    expect(holidayDecisions.map((row) => row.reason)).toEqual(['outside_calling_window']);
  });

  it('preview: offers the next contact to the agent, who skips or accepts it; the call is theirs', async () => {
    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign({ mode: 'preview' });
    const [first, second] = await fixture.contacts(campaign, [
      { phone: '33600000301', priority: 20 },
      { phone: '33600000302', priority: 10 },
    ]);
    const engine = virtualEngine(db, {
      start: START,
      forcedOutcomes: { '33600000302': { outcome: 'answer', ringSeconds: 3, talkSeconds: 30 } },
    });
    const userId = await fixture.agent();
    const ref = { accountId: fixture.accountId, campaignId: campaign.id, userId };
    await joinCampaign(db, ref, engine.clock);
    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(0);

    expect((await previewNext(engine.deps, ref))?.id).toBe(first);
    expect(await loadAgent(db, ref)).toMatchObject({ state: 'reserved', previewContactId: first });
    await skipPreview(engine.deps, ref);
    expect((await previewNext(engine.deps, ref))?.id).toBe(second);
    const { attemptId } = await acceptPreview(engine.deps, ref);
    await engine.advance(4_000);
    const [attempt] = await db.select().from(dialerAttempts).where(eq(dialerAttempts.id, attemptId));
    expect(attempt).toMatchObject({ campaignContactId: second, agentId: userId, outcome: 'answered' });
    expect(await loadAgent(db, ref)).toMatchObject({ state: 'on_call', attemptId });
  });

  it('preview: an offer nobody acts on goes back to the pool after the hold time, the agent ready again', async () => {
    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign({ mode: 'preview' });
    const [held] = await fixture.contacts(campaign, [{ phone: '33600000401', priority: 20 }]);
    const engine = virtualEngine(db, { start: START });
    const userId = await fixture.agent();
    const ref = { accountId: fixture.accountId, campaignId: campaign.id, userId };
    await joinCampaign(db, ref, engine.clock);
    expect((await previewNext(engine.deps, ref))?.id).toBe(held);

    await engine.advance(PREVIEW_OFFER_HOLD_MS - 1_000);
    await dialerTick(engine.deps, campaign.id);
    expect(await loadAgent(db, ref)).toMatchObject({ state: 'reserved', previewContactId: held });

    await engine.advance(2_000);
    await dialerTick(engine.deps, campaign.id);
    expect(await loadAgent(db, ref)).toMatchObject({ state: 'ready', previewContactId: null });
    const [contact] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, held!));
    expect(contact?.state).toBe('processing_not_in_progress');
    const decisions = await db
      .select({ kind: dialerDecisions.kind, reason: dialerDecisions.reason })
      .from(dialerDecisions)
      .where(and(eq(dialerDecisions.campaignId, campaign.id), eq(dialerDecisions.reason, 'offer_expired')));
    expect(decisions).toEqual([{ kind: 'preview', reason: 'offer_expired' }]);
    // Offered again at once: nobody decided against the contact.
    expect((await previewNext(engine.deps, ref))?.id).toBe(held);
  });
});
