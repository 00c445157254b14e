import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../testing/database.js';
import { campaignContacts, wrapupCodes } from '../campaigns/campaigns.tables.js';
import { ensureSystemWrapups } from '../campaigns/wrapups.js';
import { dialerAgents, dialerAttempts, dialerDecisions } from './dialer.tables.js';
import { dialerTick, joinCampaign, reconcileAttempts, setAgentState, wrapUpAttempt } from './dialer.js';
import { VirtualClock } from '../telephony/clock.js';
import { dialerFixture, virtualEngine } from './dialer.test-kit.js';
import type { Db } from '../../platform/db/database.js';

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.database.db;
});
afterAll(async () => {
  await testDb.drop();
});

async function contactOf(id: number) {
  const [row] = await db.select().from(campaignContacts).where(eq(campaignContacts.id, id));
  return row!;
}

async function agentState(campaignId: number, userId: number) {
  const [row] = await db
    .select()
    .from(dialerAgents)
    .where(and(eq(dialerAgents.campaignId, campaignId), eq(dialerAgents.userId, userId)));
  return row?.state;
}

async function codeOf(accountId: number, status: string) {
  await ensureSystemWrapups(db, accountId);
  const rows = await db.select().from(wrapupCodes).where(eq(wrapupCodes.accountId, accountId));
  return rows.find((row) => row.status === status)!;
}

describe('the dialer engine (progressive)', () => {
  it('places one call per free agent, highest priority first, connects, and lets the wrap-up finish the contact', async () => {
    const fixture = await dialerFixture(db);
    const engine = virtualEngine(db, {
      forcedOutcomes: {
        '33600000001': { outcome: 'answer', ringSeconds: 5, talkSeconds: 60 },
        '33600000002': { outcome: 'busy', ringSeconds: 3 },
      },
    });
    const campaign = await fixture.campaign({
      retryRules: { byOutcome: { busy: { maxTries: 3, delaySeconds: 600 } } },
    });
    const [low, top, second] = await fixture.contacts(campaign, [
      { phone: '33600000003', priority: 1 },
      { phone: '33600000001', priority: 50 },
      { phone: '33600000002', priority: 20 },
    ]);
    const agents = [await fixture.agent(), await fixture.agent()];
    for (const userId of agents) {
      await joinCampaign(db, { accountId: fixture.accountId, campaignId: campaign.id, userId }, engine.clock);
    }

    const first = await dialerTick(engine.deps, campaign.id);
    expect(first.attemptIds).toHaveLength(2);
    const again = await dialerTick(engine.deps, campaign.id);
    expect(again.attemptIds).toHaveLength(0);
    expect((await contactOf(low!)).state).toBe('processing_not_in_progress');
    expect((await contactOf(top!)).state).toBe('processing_in_progress');
    const decisions = await db
      .select()
      .from(dialerDecisions)
      .where(eq(dialerDecisions.campaignId, campaign.id));
    expect(
      decisions
        .filter((row) => row.kind === 'dial')
        .map((row) => row.campaignContactId)
        .sort(),
    ).toEqual([top, second].sort());

    await engine.advance(10_000);
    const busy = await contactOf(second!);
    expect(busy).toMatchObject({
      state: 'processing_not_in_progress',
      triesNumber: 1,
      wrapupStatus: 'unreachable',
    });
    expect(busy.retryAt?.getTime()).toBe(engine.clock.now().getTime() - 7_000 + 600_000);
    const [answered] = await db
      .select()
      .from(dialerAttempts)
      .where(eq(dialerAttempts.campaignContactId, top!));
    expect(answered).toMatchObject({ outcome: 'answered' });
    expect(answered!.connectedAt).not.toBeNull();
    expect(await agentState(campaign.id, answered!.agentId!)).toBe('on_call');
    const connected = await contactOf(top!);
    expect(connected).toMatchObject({
      lastCallerType: 'system',
      agentId: answered!.agentId,
      lastAgentId: answered!.agentId,
    });

    await engine.advance(60_000);
    expect(await agentState(campaign.id, answered!.agentId!)).toBe('wrap_up');
    const argued = await codeOf(fixture.accountId, 'argued');
    await wrapUpAttempt(
      db,
      {
        accountId: fixture.accountId,
        attemptId: answered!.id,
        agentId: answered!.agentId!,
        wrapupId: argued.id,
        comment: 'ok',
      },
      engine.clock,
    );
    expect(await agentState(campaign.id, answered!.agentId!)).toBe('ready');
    expect(await contactOf(top!)).toMatchObject({ wrapupStatus: 'argued', retryAt: null, comment: 'ok' });
    expect(engine.errors).toEqual([]);
  });

  it('abandons an answered call no agent takes within 2 s, and hangs it up', async () => {
    const fixture = await dialerFixture(db);
    const engine = virtualEngine(db, {
      outcomeWeights: { answer: 1, no_answer: 0, busy: 0, machine: 0, invalid_number: 0 },
      ringSeconds: { answer: { kind: 'fixed', seconds: 5 } },
    });
    const campaign = await fixture.campaign({
      retryRules: { byOutcome: { abandoned: { maxTries: 4, delaySeconds: 3600 } } },
    });
    await fixture.contacts(campaign, [{ phone: '33600000301' }, { phone: '33600000302' }]);
    const agents = [await fixture.agent(), await fixture.agent()];
    for (const userId of agents)
      await joinCampaign(db, { accountId: fixture.accountId, campaignId: campaign.id, userId }, engine.clock);
    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(2);
    await setAgentState(
      db,
      { accountId: fixture.accountId, campaignId: campaign.id, userId: agents[1]!, state: 'paused' },
      engine.clock,
    );

    await engine.advance(5_000);
    const live = await db.select().from(dialerAttempts).where(eq(dialerAttempts.campaignId, campaign.id));
    expect(live.filter((row) => row.connectedAt !== null)).toHaveLength(1);
    await engine.advance(2_500);
    const rows = await db.select().from(dialerAttempts).where(eq(dialerAttempts.campaignId, campaign.id));
    const abandoned = rows.find((row) => row.outcome === 'abandoned');
    expect(abandoned?.endedAt).not.toBeNull();
    expect(engine.simulator.counters.abandoned).toBe(1);
    const contact = await contactOf(abandoned!.campaignContactId!);
    expect(contact).toMatchObject({ state: 'processing_not_in_progress', wrapupStatus: 'tocall' });
    expect(contact.retryAt?.getTime()).toBe(abandoned!.endedAt!.getTime() + 3_600_000);
    const decisions = await db
      .select()
      .from(dialerDecisions)
      .where(eq(dialerDecisions.attemptId, abandoned!.id));
    expect(decisions.map((row) => row.kind)).toEqual(expect.arrayContaining(['dial', 'abandon', 'retry']));
  });

  it('makes a tocall wrap-up with a date a callback, exempt from the 72-hour rule', async () => {
    const fixture = await dialerFixture(db);
    const engine = virtualEngine(db, {
      forcedOutcomes: { '33600000401': { outcome: 'answer', ringSeconds: 2, talkSeconds: 10 } },
    });
    const campaign = await fixture.campaign();
    const [id] = await fixture.contacts(campaign, [{ phone: '33600000401' }]);
    const userId = await fixture.agent();
    await joinCampaign(db, { accountId: fixture.accountId, campaignId: campaign.id, userId }, engine.clock);
    const [attemptId] = (await dialerTick(engine.deps, campaign.id)).attemptIds;
    await engine.advance(15_000);
    const callBack = await codeOf(fixture.accountId, 'tocall');
    const retryAt = new Date(engine.clock.now().getTime() + 3_600_000);
    await wrapUpAttempt(
      db,
      {
        accountId: fixture.accountId,
        attemptId: attemptId!,
        agentId: userId,
        wrapupId: callBack.id,
        retryAt,
      },
      engine.clock,
    );
    expect(await contactOf(id!)).toMatchObject({
      isCallback: true,
      retryAt,
      triesNumber: 1,
      wrapupStatus: 'tocall',
    });
    await expect(
      wrapUpAttempt(
        db,
        { accountId: fixture.accountId, attemptId: attemptId!, agentId: userId, wrapupId: callBack.id },
        engine.clock,
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(0);
    await engine.advance(3_600_000);
    expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(1);
  });

  it('holds predictive to one call per free agent once the 30-day abandonment is at the cap', async () => {
    const fixture = await dialerFixture(db);
    const engine = virtualEngine(db, {
      outcomeWeights: { answer: 0, no_answer: 1, busy: 0, machine: 0, invalid_number: 0 },
    });
    const campaign = await fixture.campaign({ mode: 'predictive' });
    await fixture.contacts(
      campaign,
      Array.from({ length: 30 }, (_, index) => ({ phone: `3360000050${String(index).padStart(2, '0')}` })),
    );
    for (let index = 0; index < 3; index += 1) {
      await joinCampaign(
        db,
        { accountId: fixture.accountId, campaignId: campaign.id, userId: await fixture.agent() },
        engine.clock,
      );
    }
    const day = new Date(engine.clock.now().getTime() - 86_400_000);
    await db.insert(dialerAttempts).values(
      Array.from({ length: 100 }, (_, index) => ({
        accountId: fixture.accountId,
        campaignId: campaign.id,
        mode: 'predictive' as const,
        phoneName: 'mobile',
        phoneNumber: '33600000000',
        outcome: index < 5 ? ('abandoned' as const) : ('answered' as const),
        placedAt: day,
        answeredAt: day,
        endedAt: day,
      })),
    );
    const result = await dialerTick(engine.deps, campaign.id);
    expect(result.attemptIds).toHaveLength(3);
    expect(result.reason).toBe('abandon_cap_reached');
    const [pace] = await db
      .select()
      .from(dialerDecisions)
      .where(and(eq(dialerDecisions.campaignId, campaign.id), eq(dialerDecisions.kind, 'pace')));
    expect(pace?.reason).toBe('abandon_cap_reached');
  });

  it('asks the carrier to detect machines in predictive, and connects a machine to an agent in progressive', async () => {
    const outcomes: Record<string, string | null> = {};
    for (const mode of ['predictive', 'progressive'] as const) {
      const fixture = await dialerFixture(db);
      const engine = virtualEngine(db, {
        forcedOutcomes: { '33600000077': { outcome: 'machine', ringSeconds: 4, talkSeconds: 20 } },
      });
      const campaign = await fixture.campaign({ mode });
      const [contactId] = await fixture.contacts(campaign, [{ phone: '33600000077' }]);
      await joinCampaign(
        db,
        { accountId: fixture.accountId, campaignId: campaign.id, userId: await fixture.agent() },
        engine.clock,
      );
      expect((await dialerTick(engine.deps, campaign.id)).attemptIds).toHaveLength(1);
      await engine.advance(6_000);
      const [attempt] = await db
        .select()
        .from(dialerAttempts)
        .where(eq(dialerAttempts.campaignContactId, contactId!));
      outcomes[mode] = attempt?.outcome ?? null;
      // Detected, the machine never reaches the agent; undetected, it is a call like any other.
      if (mode === 'predictive') expect(attempt?.agentId ?? null).toBeNull();
      else expect(attempt?.agentId).toEqual(expect.any(Number));
      expect(engine.simulator.counters.machinesDetected).toBe(mode === 'predictive' ? 1 : 0);
      expect(engine.errors).toEqual([]);
    }
    expect(outcomes).toEqual({ predictive: 'machine', progressive: 'answered' });
  });

  it('never dials a contact twice when two ticks race, and closes attempts a crash left ringing', async () => {
    const fixture = await dialerFixture(db);
    const engine = virtualEngine(db, {
      outcomeWeights: { answer: 0, no_answer: 1, busy: 0, machine: 0, invalid_number: 0 },
      ringSeconds: { no_answer: { kind: 'fixed', seconds: 30 } },
    });
    const other = virtualEngine(db, { seed: 9 });
    const campaign = await fixture.campaign({
      retryRules: { byOutcome: { no_answer: { maxTries: 3, delaySeconds: 7200 } } },
    });
    await fixture.contacts(
      campaign,
      Array.from({ length: 12 }, (_, index) => ({ phone: `3360000060${String(index).padStart(2, '0')}` })),
    );
    for (let index = 0; index < 5; index += 1) {
      await joinCampaign(
        db,
        { accountId: fixture.accountId, campaignId: campaign.id, userId: await fixture.agent() },
        engine.clock,
      );
    }
    const [first, second] = await Promise.all([
      dialerTick(engine.deps, campaign.id),
      dialerTick(other.deps, campaign.id),
    ]);
    const attempts = await db.select().from(dialerAttempts).where(eq(dialerAttempts.campaignId, campaign.id));
    expect(first.attemptIds.length + second.attemptIds.length).toBe(attempts.length);
    expect(attempts.length).toBeLessThanOrEqual(5);
    expect(new Set(attempts.map((row) => row.campaignContactId)).size).toBe(attempts.length);

    // The process dies: its carrier's events never come. A restarted one reconciles later.
    const restarted = new VirtualClock(new Date(engine.clock.now().getTime() + 10 * 60_000));
    const { closed } = await reconcileAttempts({ db, clock: restarted }, { accountId: fixture.accountId });
    expect(closed.sort()).toEqual(attempts.map((row) => row.id).sort());
    const after = await db.select().from(dialerAttempts).where(eq(dialerAttempts.campaignId, campaign.id));
    expect(after.every((row) => row.outcome === 'failed' && row.endedAt !== null)).toBe(true);
    for (const row of after) {
      expect(await contactOf(row.campaignContactId!)).toMatchObject({
        state: 'processing_not_in_progress',
        triesNumber: 1,
      });
    }
    const reconciled = await db
      .select()
      .from(dialerDecisions)
      .where(and(eq(dialerDecisions.campaignId, campaign.id), eq(dialerDecisions.kind, 'reconcile')));
    expect(reconciled).toHaveLength(attempts.length);
  });
});
