import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { routingEntries, routingOfferAgents } from '../../core/routing/routing.tables.js';
import { addQueueMembers, createQueue } from '../../core/routing/index.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

describe('native routing-queue usages: which inboxes feed a queue, and who assigns', () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let accountId: number;
  let other: { accountId: number; apiKey: string };
  let admin: { userId: number; token: string };
  let chatwoot: ChatwootClient;
  let queueId: number;
  let contactId: number;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    accountId = (await seedAccount(app, 'Usages')).accountId;
    other = await seedAccount(app, 'Usages other');
    admin = await seedAgent(app, accountId, { role: 'administrator' });
    chatwoot = chatwootClient(app, admin.token);
    contactId = await seedContact(app, accountId);
    const queue = await createQueue(
      app.parley.ctx.db,
      {
        accountId,
        name: 'Support',
        isDefault: false,
        isDoNotOfferEnabled: false,
        callFunctionality: false,
      },
      { type: 'system' },
    );
    queueId = queue.id;
    await app.parley.startBackground();
  }, 120_000);
  afterAll(() => app.close());

  const usagesUrl = (account: number, queue: number) =>
    `/api/v1/accounts/${account}/routing-queues/${queue}/usages`;
  const put = (token: string, url: string, payload: unknown) =>
    inject({ method: 'PUT', url, headers: bearer(token), payload: payload as object });

  async function rowOf(displayId: number) {
    const [row] = await app.parley.ctx.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));
    if (!row) throw new Error(`no conversation ${displayId}`);
    return row;
  }

  it('replaces the inboxes of a queue and lists them', async () => {
    const [first, second] = [await seedInbox(app, accountId), await seedInbox(app, accountId)];

    const set = await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: [second, first, first] });
    const listed = await inject({
      method: 'GET',
      url: usagesUrl(accountId, queueId),
      headers: bearer(admin.token),
    });
    const cleared = await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: [] });

    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ queueId, inboxIds: [first, second].sort((a, b) => a - b) });
    expect(listed.json()).toEqual(set.json());
    expect(cleared.json()).toEqual({ queueId, inboxIds: [] });
  });

  it('refuses bad input, unknown queues, foreign inboxes and non-administrators without changing anything', async () => {
    const inbox = await seedInbox(app, accountId);
    await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: [inbox] });
    const foreignInbox = await seedInbox(app, other.accountId);
    const agent = await seedAgent(app, accountId);

    const badBody = await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: ['x'] });
    const unknownQueue = await put(admin.token, usagesUrl(accountId, queueId + 999), { inboxIds: [] });
    const foreign = await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: [foreignInbox] });
    const otherAccountsQueue = await put(other.apiKey, usagesUrl(other.accountId, queueId), {
      inboxIds: [foreignInbox],
    });
    const notAdmin = await put(agent.token, usagesUrl(accountId, queueId), { inboxIds: [] });

    expect(badBody.statusCode).toBe(422);
    expect(unknownQueue.statusCode).toBe(404);
    expect(unknownQueue.json().error).toMatchObject({ code: 'not_found' });
    expect(foreign.statusCode).toBe(404);
    expect(otherAccountsQueue.statusCode).toBe(404);
    expect(notAdmin.statusCode).toBe(403);
    const after = await inject({
      method: 'GET',
      url: usagesUrl(accountId, queueId),
      headers: bearer(admin.token),
    });
    expect(after.json()).toEqual({ queueId, inboxIds: [inbox] });
  });

  it('round-robins an inbox that feeds no queue, and leaves a queue-fed one to the queue', async () => {
    const member = await seedAgent(app, accountId, { availability: 'online' });
    const inbox = await seedInbox(app, accountId, { enableAutoAssignment: true, memberIds: [member.userId] });
    await addQueueMembers(
      app.parley.ctx.db,
      { accountId, queueId, members: [{ userId: member.userId }] },
      { type: 'system' },
    );

    const roundRobin = await rowOf(
      await openConversation(chatwoot, accountId, { inbox_id: inbox, contact_id: contactId }),
    );
    await put(admin.token, usagesUrl(accountId, queueId), { inboxIds: [inbox] });
    const routed = await rowOf(
      await openConversation(chatwoot, accountId, { inbox_id: inbox, contact_id: contactId }),
    );
    // Enqueued in the creating transaction: the entry is there when the API answers.
    const entries = await app.parley.ctx.db
      .select()
      .from(routingEntries)
      .where(and(eq(routingEntries.accountId, accountId), eq(routingEntries.conversationId, routed.id)));

    expect(roundRobin.assigneeId).toBe(member.userId);
    expect(routed.assigneeId).toBeNull();
    expect(entries.map((entry) => entry.queueId)).toEqual([queueId]);
    const offered = await waitFor(
      async () => {
        const rows = await app.parley.ctx.db
          .select({ userId: routingOfferAgents.userId })
          .from(routingOfferAgents)
          .where(eq(routingOfferAgents.accountId, accountId));
        return rows.length > 0 ? rows : undefined;
      },
      { what: 'an offer of the routed conversation' },
    );
    expect(offered.map((row) => row.userId)).toEqual([member.userId]);
  });
});
