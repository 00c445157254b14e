import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { conversations } from '../conversations/conversations.tables.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { updateMember } from '../identity/members.js';
import { routingAgentStates, routingEntries, type OfferingAlgorithm } from './routing.tables.js';
import {
  acceptOffer,
  addQueueMembers,
  createQueue,
  declineOffer,
  setAgentCapacity,
  setQueueUsages,
} from './index.js';
import { routingFixture } from './routing-test-kit.js';

const SYSTEM = { type: 'system' } as const;

describe(`routing engine: offers, timeouts, claims and abandonment (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let accountId: number;
  let fixture: ReturnType<typeof routingFixture>;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    accountId = (await seedAccount(app, 'Routing')).accountId;
    fixture = routingFixture(db, accountId);
    await app.parley.startBackground();
  });
  afterAll(() => app.close());

  /** A queue fed by a fresh inbox, with these members (user id → tier). */
  async function queueWith(
    algorithm: OfferingAlgorithm,
    members: { userId: number; priority?: number }[],
    options: { offerTimeout?: number } = {},
  ) {
    const queue = await createQueue(
      db,
      {
        accountId,
        name: `${algorithm} queue`,
        isDefault: false,
        isDoNotOfferEnabled: false,
        callFunctionality: false,
        offeringAlgorithm: algorithm,
        offerTimeout: options.offerTimeout ?? 60,
      },
      SYSTEM,
    );
    const inbox = await fixture.inbox();
    await setQueueUsages(db, { accountId, queueId: queue.id, inboxIds: [inbox.id] }, SYSTEM);
    await addQueueMembers(db, { accountId, queueId: queue.id, members }, SYSTEM);
    return { queue, inbox };
  }

  async function entryOf(conversationId: number) {
    const [entry] = await db
      .select()
      .from(routingEntries)
      .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, conversationId)))
      .orderBy(asc(routingEntries.id));
    return entry;
  }

  async function eventsOf(type: string, conversationId: number) {
    const rows = await db
      .select()
      .from(events)
      .where(
        and(
          eq(events.accountId, accountId),
          eq(events.type, type),
          eq(events.aggregateId, String(conversationId)),
        ),
      );
    return rows.map((row) => row.payload);
  }

  it('AllAtOnce offers to every online member under capacity, and records conversation.enqueued and .offered', async () => {
    const [a, b, away, offline] = [
      await fixture.agent(),
      await fixture.agent(),
      await fixture.agent({ availability: 'busy' }),
      await fixture.agent({ availability: 'offline' }),
    ];
    const outsider = await fixture.agent();
    const { inbox, queue } = await queueWith(
      'AllAtOnce',
      [a, b, away, offline].map((user) => ({ userId: user.id })),
    );

    const conversation = await fixture.conversation(inbox.id);
    const offer = await fixture.offer(conversation.id);

    expect(offer.agentIds).toEqual([a.id, b.id].sort((x, y) => x - y));
    expect(offer.agentIds).not.toContain(outsider.id);
    await app.parley.relay.drain();
    const [enqueued] = await eventsOf('conversation.enqueued', conversation.id);
    expect(enqueued?.queue).toEqual({ id: queue.id, uuid: queue.uuid, name: queue.name });
    const [offered] = await eventsOf('conversation.offered', conversation.id);
    expect(offered).toMatchObject({ offerId: offer.id, agentIds: expect.arrayContaining([a.id, b.id]) });
    expect(typeof offered?.expiresAt).toBe('string');
  });

  it('OneAtATimeRandom offers to exactly one eligible agent', async () => {
    const agents = [await fixture.agent(), await fixture.agent(), await fixture.agent()];
    const offline = await fixture.agent({ availability: 'offline' });
    const { inbox } = await queueWith(
      'OneAtATimeRandom',
      [...agents, offline].map((user) => ({ userId: user.id })),
    );

    const conversation = await fixture.conversation(inbox.id);
    const offer = await fixture.offer(conversation.id);

    expect(offer.agentIds).toHaveLength(1);
    expect(agents.map((agent) => agent.id)).toContain(offer.agentIds[0]);
  });

  it('LongestIdle offers to the agent idle the longest', async () => {
    const [recent, longest, middle] = [await fixture.agent(), await fixture.agent(), await fixture.agent()];
    const idle = (userId: number, minutesAgo: number) =>
      db
        .insert(routingAgentStates)
        .values({ accountId, userId, idleSince: new Date(Date.now() - minutesAgo * 60_000) })
        .onConflictDoUpdate({
          target: [routingAgentStates.accountId, routingAgentStates.userId],
          set: { idleSince: new Date(Date.now() - minutesAgo * 60_000) },
        });
    await idle(recent.id, 1);
    await idle(longest.id, 30);
    await idle(middle.id, 10);
    const { inbox } = await queueWith(
      'LongestIdle',
      [recent, longest, middle].map((user) => ({ userId: user.id })),
    );

    const conversation = await fixture.conversation(inbox.id);

    expect((await fixture.offer(conversation.id)).agentIds).toEqual([longest.id]);
  });

  it('AgentPriority* offer only to the best tier that has an eligible agent', async () => {
    const bestButOffline = await fixture.agent({ availability: 'offline' });
    const [second1, second2] = [await fixture.agent(), await fixture.agent()];
    const third = await fixture.agent();
    const members = [
      { userId: bestButOffline.id, priority: 1 },
      { userId: second1.id, priority: 2 },
      { userId: second2.id, priority: 2 },
      { userId: third.id, priority: 3 },
    ];
    const allAtOnce = await queueWith('AgentPriorityAllAtOnce', members);
    const random = await queueWith('AgentPriorityOneAtATimeRandom', members);
    const idlest = await queueWith('AgentPriorityLongestIdle', members);

    const c1 = await fixture.conversation(allAtOnce.inbox.id);
    const c2 = await fixture.conversation(random.inbox.id);
    const c3 = await fixture.conversation(idlest.inbox.id);

    expect((await fixture.offer(c1.id)).agentIds).toEqual([second1.id, second2.id].sort((x, y) => x - y));
    const randomPick = (await fixture.offer(c2.id)).agentIds;
    expect(randomPick).toHaveLength(1);
    expect([second1.id, second2.id]).toContain(randomPick[0]);
    const idlePick = (await fixture.offer(c3.id)).agentIds;
    expect(idlePick).toHaveLength(1);
    expect([second1.id, second2.id]).toContain(idlePick[0]);
  });

  it('skips an agent at capacity for the channel, counting pending offers', async () => {
    const busy = await fixture.agent();
    const free = await fixture.agent();
    await setAgentCapacity(db, { accountId, userId: busy.id, channel: 'web_widget', capacity: 1 });
    const { inbox } = await queueWith('AllAtOnce', [{ userId: busy.id }, { userId: free.id }]);
    const first = await fixture.conversation(inbox.id);
    expect((await fixture.offer(first.id)).agentIds).toEqual([busy.id, free.id].sort((x, y) => x - y));

    const second = await fixture.conversation(inbox.id);

    expect((await fixture.offer(second.id)).agentIds).toEqual([free.id]);
  });

  it('moves an unanswered offer on to the next agent when the offer timeout passes', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await queueWith('OneAtATimeRandom', [{ userId: a.id }, { userId: b.id }], {
      offerTimeout: 1,
    });
    const conversation = await fixture.conversation(inbox.id);
    const first = await fixture.offer(conversation.id);

    const second = await fixture.offer(conversation.id, 2);

    const [expired] = (await fixture.offersOf(conversation.id)).filter((offer) => offer.id === first.id);
    expect(expired?.state).toBe('expired');
    expect(second.agentIds).toHaveLength(1);
    expect(second.agentIds[0]).not.toBe(first.agentIds[0]);
    expect(second.offeredAt.getTime() - first.offeredAt.getTime()).toBeGreaterThanOrEqual(900);
    await app.parley.relay.drain();
    const [expiredEvent] = await eventsOf('conversation.offer_expired', conversation.id);
    expect(expiredEvent).toMatchObject({ offerId: first.id, agentIds: first.agentIds });
  });

  it('lets exactly one of two agents accepting at once win; the other gets CONFLICT', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await queueWith('AllAtOnce', [{ userId: a.id }, { userId: b.id }]);
    const conversation = await fixture.conversation(inbox.id);
    const offer = await fixture.offer(conversation.id);

    const results = await Promise.allSettled(
      [a, b].map((agent) =>
        acceptOffer(db, {
          accountId,
          offerId: offer.id,
          agentUserId: agent.id,
          actor: { type: 'user', id: agent.id },
        }),
      ),
    );

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT' });
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    const winner = results[0]?.status === 'fulfilled' ? a.id : b.id;
    expect(row?.assigneeId).toBe(winner);
    expect((await entryOf(conversation.id))?.state).toBe('assigned');
    await app.parley.relay.drain();
    const updates = await eventsOf('conversation.updated', conversation.id);
    expect(updates.some((payload) => (payload.changes as Record<string, unknown>).assignee_id)).toBe(true);
    const [claimed] = await eventsOf('conversation.claimed', conversation.id);
    expect(claimed).toMatchObject({ agentId: winner, fromAgentId: null });
  });

  it('moves on to the next agent when the offered agent declines', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await queueWith('OneAtATimeRandom', [{ userId: a.id }, { userId: b.id }]);
    const conversation = await fixture.conversation(inbox.id);
    const first = await fixture.offer(conversation.id);

    await declineOffer(db, { accountId, offerId: first.id, agentUserId: first.agentIds[0]!, actor: SYSTEM });

    const second = await fixture.offer(conversation.id, 2);
    expect(second.agentIds).toHaveLength(1);
    expect(second.agentIds[0]).not.toBe(first.agentIds[0]);
    await expect(
      acceptOffer(db, { accountId, offerId: first.id, agentUserId: first.agentIds[0]!, actor: SYSTEM }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('waits while nobody is available and offers when an agent comes online', async () => {
    const agent = await fixture.agent({ availability: 'offline' });
    const { inbox } = await queueWith('LongestIdle', [{ userId: agent.id }]);
    const conversation = await fixture.conversation(inbox.id);
    await waitFor(async () => (await entryOf(conversation.id))?.state === 'waiting');

    await updateMember(db, { accountId, userId: agent.id, availability: 'online' }, SYSTEM);

    expect((await fixture.offer(conversation.id)).agentIds).toEqual([agent.id]);
  });

  it('records an abandonment with the wait when the conversation is closed before anyone takes it', async () => {
    const agent = await fixture.agent({ availability: 'offline' });
    const { inbox } = await queueWith('AllAtOnce', [{ userId: agent.id }]);
    const conversation = await fixture.conversation(inbox.id);
    await waitFor(async () => (await entryOf(conversation.id))?.state === 'waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));

    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: { type: 'contact' },
      }),
    );

    await waitFor(async () => (await entryOf(conversation.id))?.state === 'abandoned');
    await app.parley.relay.drain();
    const [abandoned] = await waitFor(async () => {
      await app.parley.relay.drain();
      const rows = await eventsOf('conversation.abandoned', conversation.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(abandoned?.waitedMs).toBeGreaterThanOrEqual(100);
  });
});
