import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { createConversation } from '../conversations/create-conversation.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import type { ConversationRow } from '../conversations/conversations.tables.js';
import { routingAgentStates, routingEntries } from './routing.tables.js';
import { acceptOffer, declineOffer, type QueueSettings } from './index.js';
import { routingFixture } from './routing-test-kit.js';

const SYSTEM = { type: 'system' } as const;

describe(`routing constraints: do-not-offer, preferred agent, wrap-up (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let accountId: number;
  let fixture: ReturnType<typeof routingFixture>;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    accountId = (await seedAccount(app, 'Constraints')).accountId;
    fixture = routingFixture(db, accountId);
    await app.parley.startBackground();
  }, 120_000);
  afterAll(() => app.close());

  const stateOf = async (conversationId: number) =>
    (
      await db
        .select({ state: routingEntries.state })
        .from(routingEntries)
        .where(
          and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, conversationId)),
        )
    ).map((row) => row.state);

  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));

  /** Both agents decline in turn; returns the conversation and the order they were offered it. */
  async function declinedByBoth(settings: Partial<QueueSettings>) {
    const agents = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith(
      agents.map((agent) => agent.id),
      { offeringAlgorithm: 'OneAtATimeRandom', ...settings },
    );
    const conversation = await fixture.conversation(inbox.id);
    const order: number[] = [];
    for (const count of [1, 2]) {
      const current = await fixture.offer(conversation.id, count);
      const agentUserId = current.agentIds[0]!;
      order.push(agentUserId);
      await declineOffer(db, { accountId, offerId: current.id, agentUserId, actor: SYSTEM });
    }
    return { conversation, order };
  }

  it('offers a conversation again to agents who declined it when do-not-offer is off', async () => {
    const { conversation, order } = await declinedByBoth({ isDoNotOfferEnabled: false });

    expect((await fixture.offer(conversation.id, 3)).agentIds).toHaveLength(1);
    expect(order).toContain((await fixture.offersOf(conversation.id))[2]!.agentIds[0]);
  });

  it("keeps it from them for the channel's do-not-offer timeout when it is on", async () => {
    const { conversation } = await declinedByBoth({
      isDoNotOfferEnabled: true,
      doNotOfferTimeouts: { WidgetChat: 60 },
    });
    await settle();

    expect(await fixture.offersOf(conversation.id)).toHaveLength(2);
    expect(await stateOf(conversation.id)).toEqual(['waiting']);
  });

  async function conversationFor(inboxId: number, contactId: number): Promise<ConversationRow> {
    return db.transaction((tx) => createConversation(tx, { accountId, inboxId, contactId, actor: SYSTEM }));
  }

  it("offers a returning end user's conversation first to the agent who took their last one, alone", async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith([a.id, b.id], {
      isPreferredAgentEnabled: true,
      preferredAgentTimeouts: { WidgetChat: 60 },
    });
    const earlier = await fixture.conversation(inbox.id);
    const first = await fixture.offer(earlier.id);
    expect(first.agentIds).toEqual([a.id, b.id].sort((x, y) => x - y));
    await acceptOffer(db, { accountId, offerId: first.id, agentUserId: b.id, actor: SYSTEM });

    const returning = await conversationFor(inbox.id, earlier.contactId);
    const stranger = await fixture.conversation(inbox.id);

    expect((await fixture.offer(returning.id)).agentIds).toEqual([b.id]);
    expect((await fixture.offer(stranger.id)).agentIds).toEqual([a.id, b.id].sort((x, y) => x - y));
  });

  it("holds offers to an agent during the queue's wrap-up after they close a conversation, then offers again", async () => {
    const agent = await fixture.agent();
    const { inbox } = await fixture.queueWith([agent.id], { wrapupTimeout: 60 });
    const handled = await fixture.conversation(inbox.id);
    const first = await fixture.offer(handled.id);
    await acceptOffer(db, { accountId, offerId: first.id, agentUserId: agent.id, actor: SYSTEM });
    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId,
        conversationId: handled.id,
        status: 'resolved',
        actor: SYSTEM,
      }),
    );

    const next = await fixture.conversation(inbox.id);
    await settle();
    expect(await fixture.offersOf(next.id)).toHaveLength(0);
    const [state] = await db
      .select({ wrapupUntil: routingAgentStates.wrapupUntil })
      .from(routingAgentStates)
      .where(and(eq(routingAgentStates.accountId, accountId), eq(routingAgentStates.userId, agent.id)));
    expect(state?.wrapupUntil?.getTime()).toBeGreaterThan(Date.now() + 50_000);

    // The wrap-up ends (as if 60 s passed): the account's sweep offers the waiting conversation.
    await db.execute(
      sql`UPDATE routing_agent_states SET wrapup_until = now() - interval '1 second'
          WHERE account_id = ${accountId} AND user_id = ${agent.id}`,
    );
    expect((await fixture.offer(next.id)).agentIds).toEqual([agent.id]);
  });
});
