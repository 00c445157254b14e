import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { createConversation } from '../conversations/create-conversation.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { conversations } from '../conversations/conversations.tables.js';
import { routingEntries } from './routing.tables.js';
import { acceptOffer, claimConversation, transferConversationToQueue } from './index.js';
import { routingFixture, setAvailability } from './routing-test-kit.js';

const SYSTEM = { type: 'system' } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`routing reservations, abandoned offers and queue alerts (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let accountId: number;
  let fixture: ReturnType<typeof routingFixture>;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    accountId = (await seedAccount(app, 'Reservations')).accountId;
    fixture = routingFixture(db, accountId);
    await app.parley.startBackground();
  }, 180_000);
  afterAll(() => app.close());

  const entryOf = async (conversationId: number) => {
    const [entry] = await db
      .select()
      .from(routingEntries)
      .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, conversationId)))
      .orderBy(asc(routingEntries.id));
    return entry!;
  };

  /** An end user whose last conversation `agentId` took: their next one has a preferred agent. */
  async function returningEndUser(inboxId: number, agentId: number) {
    const earlier = await fixture.conversation(inboxId);
    await claimConversation(db, {
      accountId,
      conversationId: earlier.id,
      agentUserId: agentId,
      force: false,
      actor: SYSTEM,
    });
    return db.transaction((tx) =>
      createConversation(tx, { accountId, inboxId, contactId: earlier.contactId, actor: SYSTEM }),
    );
  }

  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  it('offers the preferred agent alone for the channel timeout, then the whole queue', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith([a.id, b.id], {
      isPreferredAgentEnabled: true,
      preferredAgentTimeouts: { WidgetChat: 2 },
    });
    const returning = await returningEndUser(inbox.id, b.id);

    const first = await fixture.offer(returning.id, 1, 30_000);
    expect(first.agentIds).toEqual([b.id]);
    expect(first.expiresAt.getTime() - first.offeredAt.getTime()).toBeLessThanOrEqual(2_000);
    const second = await fixture.offer(returning.id, 2, 30_000);
    expect(second.agentIds).toEqual(sorted([a.id, b.id]));
    const entry = await entryOf(returning.id);
    expect(second.offeredAt.getTime() - entry.enqueuedAt.getTime()).toBeGreaterThanOrEqual(1_900);
    expect((await fixture.offersOf(returning.id))[0]?.state).toBe('expired');
  }, 60_000);

  it('waits preferredAgentOfflineTimeout for an offline preferred agent before the queue', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { inbox } = await fixture.queueWith([a.id, b.id], {
      isPreferredAgentEnabled: true,
      preferredAgentTimeouts: { WidgetChat: 60 },
      preferredAgentOfflineTimeout: 4,
    });
    await setAvailability(db, accountId, b.id, 'offline');
    const waiting = await returningEndUser(inbox.id, b.id);

    // Offered at once without the wait: the first offer coming only after the window shows the wait.
    const later = await fixture.offer(waiting.id, 1, 30_000);
    expect(later.agentIds).toEqual([a.id]);
    const entry = await entryOf(waiting.id);
    expect(later.offeredAt.getTime() - entry.enqueuedAt.getTime()).toBeGreaterThanOrEqual(3_900);
  }, 60_000);

  it('keeps a personal transfer for its online agent, and gives it to the queue after personalAgentOfflineTimeout when offline', async () => {
    const [a, b] = [await fixture.agent(), await fixture.agent()];
    const { queue, inbox } = await fixture.queueWith([a.id], { personalAgentOfflineTimeout: 4 });
    const transfer = async (personalUserId: number) => {
      const conversation = await fixture.conversation(inbox.id);
      await fixture.offer(conversation.id, 1, 30_000);
      await transferConversationToQueue(db, {
        accountId,
        conversationId: conversation.id,
        queueId: queue.id,
        byUserId: null,
        personalUserId,
        actor: SYSTEM,
      });
      return conversation;
    };

    const toOnline = await transfer(b.id);
    expect((await fixture.offer(toOnline.id, 2, 30_000)).agentIds).toEqual([b.id]);

    await setAvailability(db, accountId, b.id, 'offline');
    const toOffline = await transfer(b.id);
    const toQueue = await fixture.offer(toOffline.id, 2, 30_000);
    expect(toQueue.agentIds).toEqual([a.id]);
    const entry = (
      await db
        .select()
        .from(routingEntries)
        .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, toOffline.id)))
        .orderBy(asc(routingEntries.id))
    ).at(-1)!;
    expect(entry.personalUserId).toBe(b.id);
    expect(toQueue.offeredAt.getTime() - entry.enqueuedAt.getTime()).toBeGreaterThanOrEqual(3_900);
  }, 60_000);

  it('ends an abandoned conversation unoffered when offerAbandonedConversations is false', async () => {
    const agent = await fixture.agent({ availability: 'offline' });
    const { inbox } = await fixture.queueWith([agent.id], { offerAbandonedConversations: false });
    const conversation = await fixture.conversation(inbox.id);
    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: SYSTEM,
      }),
    );
    await setAvailability(db, accountId, agent.id, 'online');
    await sleep(1_500);

    expect((await entryOf(conversation.id)).state).toBe('abandoned');
    expect(await fixture.offersOf(conversation.id)).toEqual([]);
  }, 60_000);

  it('still offers an abandoned conversation when offerAbandonedConversations is true; accepting reopens it', async () => {
    const agent = await fixture.agent({ availability: 'offline' });
    const { inbox } = await fixture.queueWith([agent.id], { offerAbandonedConversations: true });
    const conversation = await fixture.conversation(inbox.id);
    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: SYSTEM,
      }),
    );
    const marked = await entryOf(conversation.id);
    expect(marked.state).toBe('waiting');
    expect(marked.abandonedAt).not.toBeNull();

    await setAvailability(db, accountId, agent.id, 'online');
    const offered = await fixture.offer(conversation.id, 1, 30_000);
    expect(offered.agentIds).toEqual([agent.id]);
    await acceptOffer(db, { accountId, offerId: offered.id, agentUserId: agent.id, actor: SYSTEM });

    const [after] = await db.select().from(conversations).where(eq(conversations.id, conversation.id));
    expect(after).toMatchObject({ status: 'open', assigneeId: agent.id });
    const abandonments = await db
      .select()
      .from(events)
      .where(and(eq(events.type, 'conversation.abandoned'), eq(events.aggregateId, String(conversation.id))));
    expect(abandonments).toHaveLength(1);
  }, 60_000);

  it('records a queue alert once per crossing of its threshold, and once when it clears', async () => {
    const { queue, inbox } = await fixture.queueWith([], {
      queueThresholds: { WaitingConversations: 2, LongestWait: 2, SlaTimeLimit: 30 },
    });
    const alertsOf = async (type: string, threshold: string) =>
      (
        await db
          .select()
          .from(events)
          .where(
            and(
              eq(events.type, type),
              eq(events.aggregateType, 'queue'),
              eq(events.aggregateId, String(queue.id)),
            ),
          )
      ).filter((event) => (event.payload as { threshold: string }).threshold === threshold);
    const waiting = [await fixture.conversation(inbox.id), await fixture.conversation(inbox.id)];

    const crossed = await waitFor(
      async () => (await alertsOf('queue.threshold_crossed', 'WaitingConversations'))[0],
      {
        what: 'WaitingConversations alert',
        timeoutMs: 30_000,
      },
    );
    expect(crossed.payload).toMatchObject({ limit: 2, value: 2, queue: { id: queue.id } });
    await waitFor(async () => (await alertsOf('queue.threshold_crossed', 'LongestWait')).length > 0, {
      what: 'LongestWait alert',
      timeoutMs: 30_000,
    });
    await sleep(2_500);
    expect(await alertsOf('queue.threshold_crossed', 'WaitingConversations')).toHaveLength(1);
    expect(await alertsOf('queue.threshold_crossed', 'LongestWait')).toHaveLength(1);

    for (const conversation of waiting) {
      await db.transaction((tx) =>
        toggleConversationStatus(tx, {
          accountId,
          conversationId: conversation.id,
          status: 'resolved',
          actor: SYSTEM,
        }),
      );
    }
    await waitFor(
      async () => (await alertsOf('queue.threshold_cleared', 'WaitingConversations')).length > 0,
      {
        what: 'WaitingConversations cleared',
        timeoutMs: 30_000,
      },
    );
    expect(await alertsOf('queue.threshold_crossed', 'WaitingConversations')).toHaveLength(1);
  }, 90_000);
});
