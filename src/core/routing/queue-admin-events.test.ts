import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import { events } from '../../platform/events/events.tables.js';
import { listAuditLogs } from '../audit-log/index.js';
import { addQueueMembers, createQueue, removeQueueMembers, setQueueUsages } from './index.js';
import { updateQueue } from './update-queue.js';
import { routingFixture } from './routing-test-kit.js';

const settings = { isDoNotOfferEnabled: false, callFunctionality: false } as const;

describe(`queue administration records events and audit logs (${backendName})`, () => {
  let app: TestApp;
  let db: Db;
  let accountId: number;
  let otherAccountId: number;
  let fixture: ReturnType<typeof routingFixture>;
  let admin: { type: 'user'; id: number };

  beforeAll(async () => {
    app = await createTestApp();
    db = app.parley.ctx.db;
    accountId = (await seedAccount(app, 'Queues')).accountId;
    otherAccountId = (await seedAccount(app, 'Elsewhere')).accountId;
    fixture = routingFixture(db, accountId);
    admin = { type: 'user', id: (await fixture.agent()).id };
  });
  afterAll(() => app.close());

  /** The account's queue events after `afterId`, oldest first. */
  async function queueEvents(afterId = 0) {
    const rows = await db
      .select()
      .from(events)
      .where(and(eq(events.accountId, accountId), like(events.type, 'queue.%')))
      .orderBy(asc(events.id));
    return rows.filter((row) => row.id > afterId);
  }

  async function lastEventId(): Promise<number> {
    return (await queueEvents()).at(-1)?.id ?? 0;
  }

  it('records a created queue, and the default flag it takes from the previous default queue', async () => {
    const first = await createQueue(db, { ...settings, accountId, name: 'Support', isDefault: true }, admin);
    const second = await createQueue(db, { ...settings, accountId, name: 'Sales', isDefault: true }, admin);
    const recorded = await queueEvents();
    expect(recorded.map((event) => [event.type, event.aggregateId, event.actor])).toEqual([
      ['queue.created', String(first.id), admin],
      ['queue.updated', String(first.id), admin],
      ['queue.created', String(second.id), admin],
    ]);
    expect(recorded[1]?.payload).toMatchObject({ id: first.id, name: 'Support', isDefault: false });
    expect(recorded[2]?.payload).toMatchObject({ id: second.id, uuid: second.uuid, isDefault: true });
  });

  it('records a settings change with the new settings', async () => {
    const queue = await createQueue(db, { ...settings, accountId, name: 'Billing', isDefault: false }, admin);
    const after = await lastEventId();
    await updateQueue(
      db,
      { accountId, queueId: queue.id, changes: { name: 'Billing EU', offerTimeout: 45 } },
      admin,
    );
    const [updated, ...rest] = await queueEvents(after);
    expect(rest).toEqual([]);
    expect(updated).toMatchObject({
      type: 'queue.updated',
      payload: { id: queue.id, name: 'Billing EU', offerTimeout: 45, wrapupTimeout: null },
    });
  });

  it('records membership changes, priority changes, and nothing when nothing changed', async () => {
    const queue = await createQueue(db, { ...settings, accountId, name: 'Members', isDefault: false }, admin);
    const [ada, bo] = [await fixture.agent(), await fixture.agent()];
    const after = await lastEventId();
    await addQueueMembers(db, { accountId, queueId: queue.id, members: [{ userId: ada.id }] }, admin);
    await addQueueMembers(db, { accountId, queueId: queue.id, members: [{ userId: ada.id }] }, admin);
    await addQueueMembers(
      db,
      { accountId, queueId: queue.id, members: [{ userId: ada.id, priority: 2 }, { userId: bo.id }] },
      admin,
    );
    await removeQueueMembers(db, { accountId, queueId: queue.id, userIds: [ada.id] }, admin);
    expect(await removeQueueMembers(db, { accountId, queueId: queue.id, userIds: [ada.id] }, admin)).toEqual(
      [],
    );

    const payloads = (await queueEvents(after)).map((event) => [event.type, event.payload]);
    expect(payloads).toEqual([
      [
        'queue.members_changed',
        {
          queueId: queue.id,
          addedUserIds: [ada.id],
          removedUserIds: [],
          userIds: [ada.id],
          members: [{ userId: ada.id, priority: 1 }],
        },
      ],
      [
        'queue.members_changed',
        {
          queueId: queue.id,
          addedUserIds: [bo.id],
          removedUserIds: [],
          userIds: [bo.id, ada.id],
          members: [
            { userId: bo.id, priority: 1 },
            { userId: ada.id, priority: 2 },
          ],
        },
      ],
      [
        'queue.members_changed',
        {
          queueId: queue.id,
          addedUserIds: [],
          removedUserIds: [ada.id],
          userIds: [bo.id],
          members: [{ userId: bo.id, priority: 1 }],
        },
      ],
    ]);
  });

  it("records both queues' inboxes when an inbox moves from one queue to another", async () => {
    const from = await createQueue(db, { ...settings, accountId, name: 'From', isDefault: false }, admin);
    const to = await createQueue(db, { ...settings, accountId, name: 'To', isDefault: false }, admin);
    const [chat, mail] = [await fixture.inbox(), await fixture.inbox('email')];
    await setQueueUsages(db, { accountId, queueId: from.id, inboxIds: [chat.id, mail.id] }, admin);
    const after = await lastEventId();
    await setQueueUsages(db, { accountId, queueId: to.id, inboxIds: [mail.id] }, admin);
    await setQueueUsages(db, { accountId, queueId: to.id, inboxIds: [mail.id] }, admin);

    const recorded = (await queueEvents(after)).map((event) => event.payload);
    expect(recorded).toEqual([
      { queueId: to.id, previousInboxIds: [], inboxIds: [mail.id] },
      { queueId: from.id, previousInboxIds: [chat.id, mail.id], inboxIds: [chat.id] },
    ]);
  });

  it("refuses another account's queue and records nothing for it", async () => {
    const foreign = await createQueue(
      db,
      { ...settings, accountId: otherAccountId, name: 'Theirs', isDefault: false },
      admin,
    );
    const after = await lastEventId();
    const ada = await fixture.agent();
    await expect(
      addQueueMembers(db, { accountId, queueId: foreign.id, members: [{ userId: ada.id }] }, admin),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      updateQueue(db, { accountId, queueId: foreign.id, changes: { name: 'Mine now' } }, admin),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await queueEvents(after)).toEqual([]);
  });

  it('shows every queue change in the audit log, with what changed', async () => {
    await app.parley.relay.drain();
    const { rows } = await listAuditLogs(db, { accountId, page: 1, perPage: 100 });
    const queueLogs = rows.filter((row) => row.auditableType === 'Queue');
    const billing = queueLogs.find(
      (row) => row.action === 'update' && (row.auditedChanges as { name?: unknown }).name !== undefined,
    );
    expect(billing?.auditedChanges).toMatchObject({
      name: ['Billing', 'Billing EU'],
      offer_timeout: [30, 45],
    });
    const moved = queueLogs.find((row) => 'inbox_ids' in row.auditedChanges && row.action === 'update');
    expect(moved?.userId).toBe(admin.id);
    expect(queueLogs.filter((row) => row.action === 'create')).toHaveLength(6);
    expect(queueLogs.some((row) => 'member_ids' in row.auditedChanges)).toBe(true);
  });
});
