import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { jobs } from '../../platform/jobs/jobs.tables.js';
import { toggleConversationStatus } from '../conversations/update-conversation.js';
import { routingEntries } from './routing.tables.js';
import { createQueue, setQueueUsages } from './index.js';
import { routingFixture } from './routing-test-kit.js';

const SYSTEM = { type: 'system' } as const;
const PENDING = ['queued', 'retrying', 'running'] as const;

describe(`routing in the conversation's own transaction, and the sweep (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let accountId: number;
  let fixture: ReturnType<typeof routingFixture>;

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    accountId = (await seedAccount(app, 'Lifecycle')).accountId;
    fixture = routingFixture(db, accountId);
    await app.parley.startBackground();
  }, 120_000);
  afterAll(() => app.close());

  /** A queue fed by a fresh inbox, with these members. */
  const queueFedInbox = (memberIds: number[] = []) => fixture.queueWith(memberIds, {});

  const entriesOf = (conversationId: number) =>
    db
      .select()
      .from(routingEntries)
      .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, conversationId)))
      .orderBy(asc(routingEntries.id));

  const eventTypesOf = async (conversationId: number) =>
    (
      await db
        .select({ type: events.type, payload: events.payload })
        .from(events)
        .where(and(eq(events.accountId, accountId), eq(events.aggregateId, String(conversationId))))
        .orderBy(asc(events.id))
    ).map((row) => row.type);

  const jobsFor = (name: string, key: string, value: number) =>
    db
      .select()
      .from(jobs)
      .where(and(eq(jobs.name, name), sql`${jobs.payload}->>${key} = ${String(value)}`));

  const pendingSweeps = (account: number) =>
    db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'routing.sweep-account'),
          sql`${jobs.payload}->>'accountId' = ${String(account)}`,
          inArray(jobs.state, [...PENDING]),
        ),
      );

  it('enqueues with its dispatch job in the creating transaction, and not at all when that rolls back', async () => {
    const { queue, inbox } = await queueFedInbox();
    const rolledBack = await db
      .transaction(async (tx) => {
        await routingFixture(tx, accountId).conversation(inbox.id);
        throw new Error('roll back');
      })
      .catch((error: unknown) => error);
    expect(rolledBack).toBeInstanceOf(Error);
    expect(await jobsFor('routing.dispatch-queue', 'queueId', queue.id)).toHaveLength(0);

    const conversation = await fixture.conversation(inbox.id);

    // No waiting for the event relay: the entry, its event and its dispatch job committed together.
    expect((await entriesOf(conversation.id)).map((entry) => [entry.queueId, entry.state])).toEqual([
      [queue.id, 'waiting'],
    ]);
    expect(await eventTypesOf(conversation.id)).toEqual(
      expect.arrayContaining(['conversation.created', 'conversation.enqueued']),
    );
    expect(await jobsFor('routing.dispatch-queue', 'queueId', queue.id)).toHaveLength(1);
  });

  it('records an abandonment for a conversation closed before anyone was offered it, even in its creating transaction', async () => {
    const { inbox } = await queueFedInbox();

    const conversation = await db.transaction(async (tx) => {
      const created = await routingFixture(tx, accountId).conversation(inbox.id);
      return toggleConversationStatus(tx, {
        accountId,
        conversationId: created.id,
        status: 'resolved',
        actor: { type: 'contact' },
      });
    });

    expect((await entriesOf(conversation.id)).map((entry) => entry.state)).toEqual(['abandoned']);
    expect(await eventTypesOf(conversation.id)).toEqual(
      expect.arrayContaining(['conversation.enqueued', 'conversation.abandoned']),
    );
  });

  it('takes a snoozed conversation out of the queue without abandonment, and re-enqueues it when reopened', async () => {
    const { queue, inbox } = await queueFedInbox();
    const conversation = await fixture.conversation(inbox.id);
    const setStatus = (status: 'snoozed' | 'open') =>
      db.transaction((tx) =>
        toggleConversationStatus(tx, { accountId, conversationId: conversation.id, status, actor: SYSTEM }),
      );

    await setStatus('snoozed');
    const afterSnooze = await entriesOf(conversation.id);
    await setStatus('open');
    const afterReopen = await entriesOf(conversation.id);

    expect(afterSnooze.map((entry) => entry.state)).toEqual(['closed']);
    expect(afterReopen.map((entry) => [entry.queueId, entry.state])).toEqual([
      [queue.id, 'closed'],
      [queue.id, 'waiting'],
    ]);
    expect(await eventTypesOf(conversation.id)).not.toContain('conversation.abandoned');
  });

  it('runs a sweep only while an account has live entries, armed again by the next enqueue', async () => {
    const idle = (await seedAccount(app, 'Idle account')).accountId;
    const agent = await fixture.agent();
    const { inbox } = await queueFedInbox([agent.id]);
    expect(await pendingSweeps(idle)).toHaveLength(0);

    const conversation = await fixture.conversation(inbox.id);
    expect(await pendingSweeps(accountId)).toHaveLength(1);
    await db.transaction((tx) =>
      toggleConversationStatus(tx, {
        accountId,
        conversationId: conversation.id,
        status: 'resolved',
        actor: SYSTEM,
      }),
    );
    // Close what the earlier cases left waiting, so the account has no live entry.
    await db.execute(
      sql`UPDATE routing_entries SET state = 'closed' WHERE account_id = ${accountId} AND state IN ('waiting', 'offered')`,
    );

    await waitFor(async () => ((await pendingSweeps(accountId)).length === 0 ? true : undefined), {
      what: 'the sweep to stop re-arming',
    });
    expect(await pendingSweeps(idle)).toHaveLength(0);
    await fixture.conversation(inbox.id);
    expect(await pendingSweeps(accountId)).toHaveLength(1);
    const startPass = await db
      .select({ state: jobs.state })
      .from(jobs)
      .where(and(eq(jobs.name, 'routing.sweep'), inArray(jobs.state, [...PENDING])));
    expect(startPass).toHaveLength(0);
  });

  it("waits in the inbox's own queue, else in the account's default queue", async () => {
    const account = (await seedAccount(app, 'Default queue')).accountId;
    const local = routingFixture(db, account);
    const settings = { isDoNotOfferEnabled: false, callFunctionality: false, accountId: account };
    const fallback = await createQueue(db, { ...settings, name: 'Default', isDefault: true }, SYSTEM);
    const own = await createQueue(db, { ...settings, name: 'Own', isDefault: false }, SYSTEM);
    const [plain, fed] = [await local.inbox(), await local.inbox()];
    await setQueueUsages(db, { accountId: account, queueId: own.id, inboxIds: [fed.id] }, SYSTEM);

    const inPlain = await local.conversation(plain.id);
    const inFed = await local.conversation(fed.id);

    const queueOf = async (conversationId: number) =>
      (
        await db
          .select({ queueId: routingEntries.queueId })
          .from(routingEntries)
          .where(
            and(eq(routingEntries.accountId, account), eq(routingEntries.conversationId, conversationId)),
          )
      ).map((row) => row.queueId);
    expect(await queueOf(inPlain.id)).toEqual([fallback.id]);
    expect(await queueOf(inFed.id)).toEqual([own.id]);
  });
});
