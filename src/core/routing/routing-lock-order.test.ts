import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { DomainError } from '../../platform/errors.js';
import { lockConversation } from '../conversations/conversations.js';
import { acceptOffer } from './index.js';
import { expireOffer } from './offers.js';
import { routingOffers } from './routing.tables.js';
import { routingFixture } from './routing-test-kit.js';

/**
 * An agent's accept locks the conversation, then its routing entry; the expiry job locks the entry
 * and re-offers it, and re-offering writes the entry a second time in its transaction, which makes
 * PostgreSQL check the entry's foreign key to the conversation (FOR KEY SHARE). When the
 * conversation lock was FOR UPDATE that check waited for the accept while the accept waited for the
 * entry: a deadlock, seen as driver errors in bench:routing. The embedded database runs one
 * transaction at a time, so the race exists only on a server.
 */
describe.skipIf(backendName === 'embedded')(`routing lock order (${backendName})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('an offer expires and is offered on while an accept holds the conversation', async () => {
    const db = app.parley.ctx.db;
    const { accountId } = await seedAccount(app, 'Lock order');
    const fixture = routingFixture(db, accountId);
    const agents = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith(
      agents.map((agent) => agent.id),
      { offeringAlgorithm: 'OneAtATimeRandom', offerTimeout: 60 },
    );
    await app.parley.startBackground();
    const conversation = await fixture.conversation(inbox.id);
    const first = await fixture.offer(conversation.id);
    // The worker stays out of the way: this test plays the expiry job itself, at a chosen moment.
    await app.parley.relay.stop();
    await app.parley.worker.stop();
    await db
      .update(routingOffers)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(routingOffers.accountId, accountId), eq(routingOffers.id, first.id)));

    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let signalHeld = () => {};
    const held = new Promise<void>((resolve) => (signalHeld = resolve));
    const accepting = db.transaction(async (tx) => {
      await lockConversation(tx, accountId, conversation.id);
      signalHeld();
      await released;
    });
    await held;
    try {
      await db.transaction(async (tx) => {
        // Before the fix this statement waited for the holder until the timeout.
        await tx.execute(sql`SET LOCAL lock_timeout = '5s'`);
        await expireOffer(tx, accountId, first.id);
      });
    } finally {
      release();
      await accepting;
    }

    const [expired, second] = await fixture.offersOf(conversation.id);
    expect(expired?.state).toBe('expired');
    expect(second?.state).toBe('open');
    expect(second?.agentIds).toHaveLength(1);
    expect(second?.agentIds).not.toEqual(first.agentIds);
    const late = acceptOffer(db, {
      accountId,
      offerId: first.id,
      agentUserId: first.agentIds[0]!,
      actor: { type: 'user', id: first.agentIds[0]! },
    });
    await expect(late).rejects.toSatisfy(
      (error) => error instanceof DomainError && error.code === 'CONFLICT',
    );
    const agentId = second!.agentIds[0]!;
    await acceptOffer(db, {
      accountId,
      offerId: second!.id,
      agentUserId: agentId,
      actor: { type: 'user', id: agentId },
    });
    const [accepted] = (await fixture.offersOf(conversation.id)).slice(1);
    expect(accepted?.state).toBe('accepted');
    expect(accepted?.acceptedUserId).toBe(agentId);
  });
});
