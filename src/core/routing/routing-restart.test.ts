import { spawnSync } from 'node:child_process';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParley, type Parley } from '../../app.js';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { claimJobs } from '../../platform/jobs/claim-jobs.js';
import { routingOfferAgents, routingOffers } from './routing.tables.js';
import { routingFixture } from './routing-test-kit.js';
import { ROUTING_QUEUE } from './routing.jobs.js';

/**
 * A node dies mid-offer (its worker stopped, one expiry job held by a process that no longer
 * exists); a new node on the same database carries on: the offer still expires and moves on,
 * conversations created meanwhile are offered, and no conversation ever has two open offers.
 */
describe(`routing survives a restart mid-offer (${backendName})`, () => {
  let app: TestApp;
  let second: Parley | undefined;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_NODE_ID: 'routing-node' });
  });
  afterAll(async () => {
    await second?.close();
    await app.close();
  });

  it('neither loses a conversation nor offers one twice at once in a one-at-a-time queue', async () => {
    const db = app.parley.ctx.db;
    const { accountId } = await seedAccount(app, 'Restart');
    const fixture = routingFixture(db, accountId);
    const agents = [await fixture.agent(), await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith(
      agents.map((agent) => agent.id),
      { name: 'One at a time', offeringAlgorithm: 'OneAtATimeRandom', offerTimeout: 1 },
    );
    await app.parley.startBackground();
    const first = await fixture.conversation(inbox.id);
    const firstOffer = await waitFor(async () => (await offersOf([first.id]))[0], {
      what: 'the first offer',
    });

    await app.parley.relay.stop();
    await app.parley.worker.stop();
    // The expiry job is only claimable once due: on a fast machine the test gets here well within the 1 s.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, firstOffer.expiresAt.getTime() - Date.now() + 100)),
    );
    // The dead process of this node had picked up the offer's expiry when it was killed.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const held = await claimJobs(db, {
      queues: [ROUTING_QUEUE],
      names: ['routing.expire-offer'],
      limit: 10,
      workerId: `routing-node:${deadPid}:dead0001`,
      leaseMs: 60_000,
    });
    expect(held.length).toBeGreaterThan(0);
    const createdWhileDown = [await fixture.conversation(inbox.id), await fixture.conversation(inbox.id)];

    second = await createParley({ config: app.parley.ctx.config, database: app.testDb.database });
    await second.startBackground();

    const ids = [first.id, ...createdWhileDown.map((conversation) => conversation.id)];
    await waitFor(
      async () => {
        const offers = await offersOf(ids);
        const offered = new Set(offers.map((offer) => offer.conversationId));
        return offers.some((offer) => offer.conversationId === first.id && offer.id !== firstOffer.id) &&
          ids.every((id) => offered.has(id))
          ? true
          : undefined;
      },
      { timeoutMs: 15_000, what: 'the moved-on offer and the offers of conversations created while down' },
    );
    const offers = await offersOf(ids);
    expect(offers.find((offer) => offer.id === firstOffer.id)?.state).toBe('expired');
    for (const id of ids) {
      expect(
        offers.filter((offer) => offer.conversationId === id && offer.state === 'open').length,
      ).toBeLessThanOrEqual(1);
    }
    const agentRows = await db
      .select()
      .from(routingOfferAgents)
      .where(
        inArray(
          routingOfferAgents.offerId,
          offers.map((offer) => offer.id),
        ),
      );
    const perOffer = new Map<number, number>();
    for (const row of agentRows) perOffer.set(row.offerId, (perOffer.get(row.offerId) ?? 0) + 1);
    expect([...perOffer.values()].every((count) => count === 1)).toBe(true);
    // Offers of one conversation never overlap in time: each opens after the previous one closed.
    for (const id of ids) {
      const mine = offers.filter((offer) => offer.conversationId === id);
      for (let index = 1; index < mine.length; index += 1) {
        const previous = mine[index - 1]!;
        expect(previous.closedAt).not.toBeNull();
        expect(mine[index]!.offeredAt.getTime()).toBeGreaterThanOrEqual(previous.closedAt!.getTime());
      }
    }

    async function offersOf(conversationIds: number[]) {
      return db
        .select()
        .from(routingOffers)
        .where(
          and(eq(routingOffers.accountId, accountId), inArray(routingOffers.conversationId, conversationIds)),
        )
        .orderBy(asc(routingOffers.id));
    }
  }, 60_000);
});
