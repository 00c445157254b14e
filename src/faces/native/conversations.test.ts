import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  seedTeam,
  type ChatwootClient,
} from '../chatwoot/conversations.test-kit.js';

interface ConversationDto {
  id: number;
  displayId: number;
  inboxId: number;
  status: string;
  priority: string | null;
  assignee: { id: number; name: string; avatarUrl: string | null } | null;
  team: { id: number; name: string } | null;
  labels: string[];
  snoozedUntil: string | null;
  lastActivityAt: string;
  lastMessage: { content: string | null } | null;
}
interface ListDto {
  data: ConversationDto[];
  nextCursor: string | null;
  counts: { mine: number; unassigned: number; all: number };
}

/** The statements the driver is sent while `run` is in flight (as list-round-trips.test.ts counts them). */
async function statementsDuring(app: TestApp, run: () => Promise<unknown>): Promise<string[]> {
  const client = (app.parley.ctx.db as unknown as { $client: Record<string, unknown> }).$client;
  const seen: string[] = [];
  const originals = ['query', 'exec', 'unsafe', 'begin', 'transaction'].flatMap((name) => {
    const original = client[name];
    return typeof original === 'function'
      ? [[name, original as (...args: unknown[]) => unknown] as const]
      : [];
  });
  for (const [name, original] of originals) {
    client[name] = (...args: unknown[]) => {
      seen.push(typeof args[0] === 'string' ? args[0] : `${name}()`);
      return original.apply(client, args);
    };
  }
  try {
    await run();
  } finally {
    for (const [name, original] of originals) client[name] = original;
  }
  return seen;
}

describe(`native inbox API: conversations (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let otherAccountId: number;
  let otherConversationId: number;
  let chatwoot: ChatwootClient;
  const people = {} as Record<'admin' | 'ann' | 'bob' | 'stranger', { userId: number; token: string }>;
  let supportId: number;
  let salesId: number;
  let teamId: number;
  /** Conversation ids (not display ids) by role in the fixture. */
  const ids = {} as Record<'refund' | 'hello' | 'sales' | 'resolved', number>;
  const displayIds = new Map<number, number>();

  const get = (token: string, url: string) =>
    injector(app)({ method: 'GET', url: `/api/v1/accounts/${accountId}${url}`, headers: bearer(token) });
  const patch = (token: string, id: number, payload: object, account = accountId) =>
    injector(app)({
      method: 'PATCH',
      url: `/api/v1/accounts/${account}/conversations/${id}`,
      headers: bearer(token),
      payload,
    });
  const list = async (token: string, query: string): Promise<ListDto> => {
    const response = await get(token, `/conversations?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ListDto>();
  };
  const idsOf = (page: ListDto) => page.data.map((item) => item.id).sort((a, b) => a - b);

  async function idOfDisplay(displayId: number, account = accountId): Promise<number> {
    const [row] = await app.parley.ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.accountId, account), eq(conversations.displayId, displayId)));
    if (!row) throw new Error('no conversation');
    return row.id;
  }

  async function open(
    body: Record<string, unknown> & { inbox_id: number },
    contactName = 'Jane',
  ): Promise<number> {
    const contactId = await seedContact(app, accountId, { name: contactName, email: `${contactName}@x.io` });
    const displayId = await openConversation(chatwoot, accountId, { contact_id: contactId, ...body });
    const id = await idOfDisplay(displayId);
    displayIds.set(id, displayId);
    return id;
  }

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Acme');
    accountId = account.accountId;
    chatwoot = chatwootClient(app, account.apiKey);
    people.admin = await seedAgent(app, accountId, { role: 'administrator', name: 'Ada Admin' });
    people.ann = await seedAgent(app, accountId, { name: 'Ann' });
    people.bob = await seedAgent(app, accountId, { name: 'Bob' });
    supportId = await seedInbox(app, accountId, { name: 'Support', memberIds: [people.ann.userId] });
    salesId = await seedInbox(app, accountId, { name: 'Sales', memberIds: [people.bob.userId] });
    teamId = await seedTeam(app, accountId, [people.ann.userId], { name: 'Tier 1', allowAutoAssign: false });

    ids.refund = await open(
      {
        inbox_id: supportId,
        assignee_id: people.ann.userId,
        message: { content: 'Your refund is on its way' },
      },
      'Rita',
    );
    const tagged = await patch(people.admin.token, ids.refund, { labels: ['vip'], priority: 'high' });
    expect(tagged.statusCode, tagged.body).toBe(200);
    ids.hello = await open({ inbox_id: supportId, message: { content: 'hello world' } }, 'Hank');
    ids.sales = await open({ inbox_id: salesId, assignee_id: people.bob.userId, status: 'pending' }, 'Sam');
    ids.resolved = await open({ inbox_id: supportId, status: 'resolved' }, 'Rob');

    const other = await seedAccount(app, 'Globex');
    otherAccountId = other.accountId;
    people.stranger = await seedAgent(app, otherAccountId, { role: 'administrator' });
    const otherInbox = await seedInbox(app, otherAccountId, { memberIds: [people.stranger.userId] });
    const otherContact = await seedContact(app, otherAccountId, { name: 'Rita', email: 'rita@globex.io' });
    otherConversationId = await idOfDisplay(
      await openConversation(chatwootClient(app, other.apiKey), otherAccountId, {
        inbox_id: otherInbox,
        contact_id: otherContact,
        message: { content: 'refund at Globex' },
      }),
      otherAccountId,
    );
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists conversations in the contract shape, with their relations and last message', async () => {
    const page = await list(people.admin.token, 'status=all');
    const refund = page.data.find((item) => item.id === ids.refund);
    expect(refund).toEqual({
      id: ids.refund,
      displayId: displayIds.get(ids.refund),
      inboxId: supportId,
      inbox: { id: supportId, name: 'Support', channelType: 'api' },
      contact: {
        id: expect.any(Number),
        name: 'Rita',
        email: 'Rita@x.io',
        phoneNumber: null,
        avatarUrl: null,
      },
      status: 'open',
      priority: 'high',
      assignee: { id: people.ann.userId, name: 'Ann', avatarUrl: null },
      team: null,
      labels: ['vip'],
      unreadCount: expect.any(Number),
      lastActivityAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      snoozedUntil: null,
      lastMessage: {
        id: expect.any(Number),
        content: 'Your refund is on its way',
        messageType: 'outgoing',
        private: false,
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    });
    expect(page.data.find((item) => item.id === ids.resolved)?.lastMessage).toBeNull();
    // Newest activity first.
    const times = page.data.map((item) => item.lastActivityAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(idsOf(page)).not.toContain(otherConversationId);
  });

  it('counts the tabs under the same filters, for administrators and agents', async () => {
    const admin = await list(people.admin.token, 'status=open');
    expect(admin.counts).toEqual({ mine: 0, unassigned: 1, all: 2 });
    expect(idsOf(admin)).toEqual([ids.refund, ids.hello].sort((a, b) => a - b));
    const all = await list(people.admin.token, 'status=all');
    expect(all.counts).toEqual({ mine: 0, unassigned: 2, all: 4 });

    // Ann answers Support only: Sales stays out of her list and her counts.
    const ann = await list(people.ann.token, 'status=all');
    expect(ann.counts).toEqual({ mine: 1, unassigned: 2, all: 3 });
    expect(idsOf(ann)).toEqual([ids.refund, ids.hello, ids.resolved].sort((a, b) => a - b));
    expect(idsOf(await list(people.ann.token, 'tab=mine&status=all'))).toEqual([ids.refund]);
    expect(idsOf(await list(people.ann.token, 'tab=unassigned&status=all'))).toEqual(
      [ids.hello, ids.resolved].sort((a, b) => a - b),
    );
    expect(idsOf(await list(people.bob.token, 'status=all'))).toEqual([ids.sales]);
  });

  it('filters by status, inbox, assignee, label, priority and team', async () => {
    const token = people.admin.token;
    expect(idsOf(await list(token, 'status=pending'))).toEqual([ids.sales]);
    expect(idsOf(await list(token, 'status=resolved'))).toEqual([ids.resolved]);
    expect(idsOf(await list(token, `status=all&inboxId=${salesId}`))).toEqual([ids.sales]);
    const byAssignee = await list(token, `status=all&assigneeId=${people.ann.userId}`);
    expect(idsOf(byAssignee)).toEqual([ids.refund]);
    expect(byAssignee.counts.all).toBe(1);
    expect(idsOf(await list(token, 'status=all&label=vip'))).toEqual([ids.refund]);
    expect(idsOf(await list(token, 'status=all&label=nope,vip'))).toEqual([ids.refund]);
    expect(idsOf(await list(token, 'status=all&priority=high'))).toEqual([ids.refund]);
    expect(idsOf(await list(token, 'status=all&priority=none'))).not.toContain(ids.refund);
    expect((await list(token, `status=all&teamId=${teamId}`)).data).toEqual([]);
  });

  it('searches message text and contact names with q, within the account', async () => {
    const token = people.admin.token;
    const found = await list(token, 'status=all&q=refund');
    expect(idsOf(found)).toEqual([ids.refund]);
    expect(found.counts.all).toBe(1);
    expect(idsOf(await list(token, 'status=all&q=Hank'))).toEqual([ids.hello]);
    expect((await list(token, 'status=all&q=zzzunheard')).data).toEqual([]);
  });

  it('refuses bad filters and malformed cursors with 422, never 500', async () => {
    const token = people.admin.token;
    const garbage = Buffer.from(JSON.stringify({ t: '2026-02-31T00:00:00.000000Z', i: 1 })).toString(
      'base64url',
    );
    for (const query of [
      'status=closed',
      'tab=theirs',
      'priority=extreme',
      'limit=0',
      'cursor=not-a-cursor',
      `cursor=${garbage}`,
      `cursor=${Buffer.from('[1,2]').toString('base64url')}`,
      `cursor=${Buffer.from(JSON.stringify({ t: "2026-01-01T00:00:00.000000Z'; --", i: 1 })).toString('base64url')}`,
    ]) {
      const response = await get(token, `/conversations?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    }
  });

  describe('keyset pages', () => {
    const many: number[] = [];

    beforeAll(async () => {
      const inboxId = await seedInbox(app, accountId, { name: 'Bulk' });
      for (let index = 0; index < 13; index++) many.push(await open({ inbox_id: inboxId }, `Bulk${index}`));
      // Ties and sub-millisecond differences: a cursor that kept only milliseconds would skip or repeat these.
      const db = app.parley.ctx.db;
      for (const [index, id] of many.entries()) {
        const micros = index < 6 ? 0 : index;
        await db
          .update(conversations)
          .set({
            lastActivityAt: sql`timestamptz '2030-01-01 00:00:00.123' + ${micros} * interval '1 microsecond'`,
          })
          .where(eq(conversations.id, id));
      }
    });

    it('walks every row exactly once, in (lastActivityAt, id) descending order', async () => {
      const seen: ConversationDto[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ListDto = await list(
          people.admin.token,
          `status=all&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.data.length).toBeLessThanOrEqual(4);
        expect(page.counts.all).toBe(4 + many.length);
        seen.push(...page.data);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(Math.ceil((4 + many.length) / 4));
      const seenIds = seen.map((item) => item.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      expect([...seenIds].sort((a, b) => a - b)).toEqual(
        [...many, ids.refund, ids.hello, ids.sales, ids.resolved].sort((a, b) => a - b),
      );
      const expected = await app.parley.ctx.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.accountId, accountId))
        .orderBy(sql`${conversations.lastActivityAt} DESC, ${conversations.id} DESC`);
      expect(seenIds).toEqual(expected.map((row) => row.id));
    });

    it('ends with a null cursor when the page holds the rest', async () => {
      const page = await list(people.admin.token, 'status=all&limit=100');
      expect(page.data).toHaveLength(4 + many.length);
      expect(page.nextCursor).toBeNull();
    });

    it('costs one statement for the page, one for its relations and one for the counts', async () => {
      let response: LightMyRequestResponse | undefined;
      const small = await statementsDuring(app, async () => {
        response = await get(people.admin.token, '/conversations?status=all&limit=2');
      });
      expect(response?.statusCode).toBe(200);
      const large = await statementsDuring(app, async () => {
        response = await get(people.admin.token, '/conversations?status=all&limit=15&q=hello');
      });
      expect(response?.statusCode).toBe(200);
      // Authentication and account access read a fixed number of rows before the route runs.
      const routeStatements = (all: string[]) => all.filter((text) => /"conversation/.test(text));
      expect(routeStatements(small)).toHaveLength(3);
      expect(routeStatements(large)).toHaveLength(3);
      expect(large.length).toBe(small.length);
    });
  });

  describe('one conversation', () => {
    it('is read by id; another account’s id is 404 and an agent outside the inbox gets 403', async () => {
      const ok = await get(people.ann.token, `/conversations/${ids.refund}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json<ConversationDto>()).toMatchObject({ id: ids.refund, labels: ['vip'] });
      expect((await get(people.admin.token, `/conversations/${otherConversationId}`)).statusCode).toBe(404);
      const outside = await get(people.bob.token, `/conversations/${ids.refund}`);
      expect(outside.statusCode).toBe(403);
      expect(outside.json<{ error: { code: string } }>().error.code).toBe('forbidden');
      // The other account's administrator cannot reach this account at all.
      expect((await get(people.stranger.token, `/conversations/${ids.refund}`)).statusCode).toBe(404);
      expect((await get(people.admin.token, '/conversations/0')).statusCode).toBe(422);
    });
  });

  describe('PATCH', () => {
    it('assigns, unassigns and refuses an unknown assignee or one outside the inbox', async () => {
      const token = people.admin.token;
      const assigned = await patch(token, ids.hello, { assigneeId: people.ann.userId });
      expect(assigned.statusCode, assigned.body).toBe(200);
      expect(assigned.json<ConversationDto>().assignee).toEqual({
        id: people.ann.userId,
        name: 'Ann',
        avatarUrl: null,
      });
      expect((await list(people.ann.token, 'tab=mine&status=all')).counts.mine).toBe(2);

      const unassigned = await patch(token, ids.hello, { assigneeId: null });
      expect(unassigned.json<ConversationDto>().assignee).toBeNull();

      for (const assigneeId of [999_999, people.stranger.userId, people.bob.userId]) {
        const refused = await patch(token, ids.hello, { assigneeId });
        expect(refused.statusCode, String(assigneeId)).toBe(422);
        expect(refused.json<{ error: { details: { path: string }[] } }>().error.details[0]?.path).toBe(
          'body.assigneeId',
        );
      }
      expect((await get(token, `/conversations/${ids.hello}`)).json<ConversationDto>().assignee).toBeNull();
    });

    it('sets and removes the team, and refuses another account’s team', async () => {
      const token = people.admin.token;
      const set = await patch(token, ids.hello, { teamId });
      expect(set.json<ConversationDto>().team).toEqual({ id: teamId, name: 'Tier 1' });
      expect((await patch(token, ids.hello, { teamId: null })).json<ConversationDto>().team).toBeNull();
      expect((await patch(token, ids.hello, { teamId: 999_999 })).statusCode).toBe(422);
    });

    it('replaces labels and sets the priority', async () => {
      const token = people.admin.token;
      const labelled = await patch(token, ids.hello, {
        labels: ['billing', 'vip', 'billing'],
        priority: 'urgent',
      });
      expect(labelled.json<ConversationDto>()).toMatchObject({
        labels: ['billing', 'vip'],
        priority: 'urgent',
      });
      const cleared = await patch(token, ids.hello, { labels: [], priority: null });
      expect(cleared.json<ConversationDto>()).toMatchObject({ labels: [], priority: null });
    });

    it('resolves, reopens and snoozes, refusing a bad status or a snooze in the past', async () => {
      const token = people.ann.token;
      expect((await patch(token, ids.hello, { status: 'resolved' })).json<ConversationDto>().status).toBe(
        'resolved',
      );
      expect((await patch(token, ids.hello, { status: 'open' })).json<ConversationDto>().status).toBe('open');
      const until = new Date(Date.now() + 3_600_000).toISOString();
      const snoozed = await patch(token, ids.hello, { status: 'snoozed', snoozedUntil: until });
      expect(snoozed.json<ConversationDto>()).toMatchObject({ status: 'snoozed', snoozedUntil: until });
      expect((await list(people.admin.token, 'status=snoozed')).data.map((item) => item.id)).toEqual([
        ids.hello,
      ]);

      for (const body of [
        { status: 'closed' },
        { status: 'snoozed', snoozedUntil: '2001-01-01T00:00:00Z' },
        { status: 'open', snoozedUntil: until },
        { snoozedUntil: 'tomorrow' },
        { labels: 'vip' },
        { assignee: 3 },
      ]) {
        const refused = await patch(token, ids.hello, body);
        expect(refused.statusCode, JSON.stringify(body)).toBe(422);
      }
      expect((await get(token, `/conversations/${ids.hello}`)).json<ConversationDto>().status).toBe(
        'snoozed',
      );
      expect(
        (await patch(token, ids.hello, { status: 'open' })).json<ConversationDto>().snoozedUntil,
      ).toBeNull();
    });

    it('keeps agents outside the inbox and other accounts out', async () => {
      expect((await patch(people.bob.token, ids.hello, { status: 'resolved' })).statusCode).toBe(403);
      expect((await patch(people.admin.token, otherConversationId, { status: 'resolved' })).statusCode).toBe(
        404,
      );
      expect(
        (await patch(people.stranger.token, ids.hello, { status: 'resolved' }, accountId)).statusCode,
      ).toBe(404);
      expect(
        (await get(people.admin.token, `/conversations/${ids.hello}`)).json<ConversationDto>().status,
      ).toBe('open');
    });
  });
});
