import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { jobs } from '../../platform/jobs/index.js';
import { PENDING_STATES } from '../../platform/jobs/enqueue.js';
import { dialerFixture } from './dialer.test-kit.js';
import { joinCampaign, setAgentState } from './dialer-agents.js';
import { dialerSweepTarget } from './dialer-sweep.js';

describe(`the dialer sweep runs only while there is dialling to do (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  const pendingSweeps = () =>
    app.parley.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.name, dialerSweepTarget.name), inArray(jobs.state, [...PENDING_STATES])));

  const ticksOf = (campaignId: number) =>
    app.parley.ctx.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.name, 'dialer.tick'), sql`${jobs.payload}->>'campaignId' = ${String(campaignId)}`));

  it('stops when idle, starts when an agent joins a running campaign, stops again when the agent pauses', async () => {
    const { db } = app.parley.ctx;
    await waitFor(async () => ((await pendingSweeps()).length === 0 ? true : undefined), {
      what: 'the start-up sweep to end the chain on an idle instance',
      timeoutMs: 30_000,
    });

    const fixture = await dialerFixture(db);
    const campaign = await fixture.campaign();
    const userId = await fixture.agent();
    await joinCampaign(db, { accountId: fixture.accountId, campaignId: campaign.id, userId });
    expect(await pendingSweeps()).toHaveLength(1);
    await waitFor(async () => ((await ticksOf(campaign.id)).length > 0 ? true : undefined), {
      what: 'a tick for the running campaign',
      timeoutMs: 30_000,
    });

    await setAgentState(db, {
      accountId: fixture.accountId,
      campaignId: campaign.id,
      userId,
      state: 'paused',
    });
    await waitFor(async () => ((await pendingSweeps()).length === 0 ? true : undefined), {
      what: 'the sweep chain to end once nobody can take calls',
      timeoutMs: 30_000,
    });
    const ticks = (await ticksOf(campaign.id)).length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await ticksOf(campaign.id)).length).toBe(ticks);
  });
});
