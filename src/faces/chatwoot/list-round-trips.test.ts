import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { attachments, conversations } from '../../core/conversations/conversations.tables.js';
import { snapshotOfRow, snapshotsOfRows } from '../../core/conversations/conversation-snapshots.js';
import { contacts } from '../../core/contacts/contacts.tables.js';
import { loadMessageSnapshots } from '../../core/conversations/message-snapshots.js';
import { listConversations, loadLastMessages } from '../../core/conversations/list-conversations.js';
import { listConversationViews, loadConversationViews } from '../../core/conversations/conversation-views.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  seedTeam,
  type ChatwootClient,
} from './conversations.test-kit.js';

/**
 * The statements the driver is sent while `run` is in flight. Drizzle sends every statement
 * through the client's `query` (PGlite) or `unsafe` (postgres.js); `transaction`/`begin` count
 * once for the transaction they open.
 */
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
      seen.push(typeof args[0] === 'string' ? args[0].replace(/\s+/g, ' ') : `${name}()`);
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

describe(`Chatwoot list round trips (${backendName})`, () => {
  let app: TestApp;
  let accountId: number;
  let admin: ChatwootClient;
  let agent: ChatwootClient;
  let agentUserId: number;
  let inboxId: number;

  beforeAll(async () => {
    app = await createTestApp();
    const account = await seedAccount(app, 'Round Trips');
    accountId = account.accountId;
    admin = chatwootClient(app, account.apiKey);
    const person = await seedAgent(app, accountId);
    agentUserId = person.userId;
    agent = chatwootClient(app, person.token);
    inboxId = await seedInbox(app, accountId, { memberIds: [person.userId] });
    const teamId = await seedTeam(app, accountId, [person.userId]);
    // Every kind of relation a row shows: assignee and team or none, a last message from the API
    // key (no sender), the contact or an agent, and one with attachments.
    for (let index = 0; index < 6; index++) {
      const contactId = await seedContact(app, accountId, {
        name: `Jane ${index}`,
        email: `jane${index}@x.io`,
      });
      const displayId = await openConversation(admin, accountId, {
        inbox_id: inboxId,
        contact_id: contactId,
        ...(index % 2 === 0 ? { assignee_id: person.userId, team_id: teamId } : {}),
        message: { content: `hello ${index}` },
      });
      const path = `/api/v1/accounts/${accountId}/conversations/${displayId}`;
      await admin.post(`${path}/labels`, { labels: ['vip'] });
      if (index % 3 === 1)
        await admin.post(`${path}/messages`, { content: 'from them', message_type: 'incoming' });
      if (index % 3 === 2) await agent.post(`${path}/messages`, { content: 'from us' });
    }
    const [withMessage] = await app.parley.ctx.db
      .select({ messageId: conversations.lastNonActivityMessageId })
      .from(conversations)
      .where(eq(conversations.accountId, accountId))
      .limit(1);
    for (const fileName of ['b.png', 'a.pdf']) {
      await app.parley.ctx.db.insert(attachments).values({
        accountId,
        messageId: withMessage?.messageId ?? 0,
        fileType: fileName.endsWith('.png') ? 'image' : 'file',
        externalUrl: `https://example.com/${fileName}`,
        fileName,
        byteSize: 1234,
      });
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const listUrl = () => `/api/v1/accounts/${accountId}/conversations`;
  const statusAndInbox = (inboxIds: number[]) => [
    { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: 'and' },
    { attribute_key: 'inbox_id', filter_operator: 'equal_to', values: inboxIds, query_operator: null },
  ];
  const requests: { name: string; send: (client: ChatwootClient) => Promise<LightMyRequestResponse> }[] = [
    { name: 'conversation list', send: (client) => client.get(listUrl()) },
    { name: 'conversation list, page 200', send: (client) => client.get(`${listUrl()}?page=200`) },
    {
      name: 'conversation filter',
      send: (client) =>
        client.post(`${listUrl()}/filter`, {
          payload: [
            { attribute_key: 'labels', filter_operator: 'equal_to', values: ['vip'], query_operator: null },
          ],
        }),
    },
    {
      name: 'conversation filter on status and inbox',
      send: (client) => client.post(`${listUrl()}/filter`, { payload: statusAndInbox([inboxId]) }),
    },
    {
      name: 'contact search',
      send: (client) => client.get(`/api/v1/accounts/${accountId}/contacts/search?q=jane`),
    },
  ];

  /**
   * Ceilings for an account API key, whose credential is one lookup: the lists are the page's ids,
   * their rows with all their relations, and the tab counts; the filter also reads the attribute
   * types its payload may name, unless it only names a status and an inbox (counted from the
   * tallies); the contact search is its page with its count (one statement), and the page's inbox
   * addresses. A user token adds the membership.
   */
  const ceilings: Record<string, number> = {
    'conversation list': 4,
    'conversation list, page 200': 4,
    'conversation filter': 5,
    'conversation filter on status and inbox': 4,
    'contact search': 3,
  };

  for (const request of requests) {
    it(`answers ${request.name} in at most ${ceilings[request.name]} statements (API key), one more for an agent`, async () => {
      for (const [client, ceiling] of [
        [admin, ceilings[request.name] ?? 0],
        [agent, (ceilings[request.name] ?? 0) + 1],
      ] as const) {
        let response: LightMyRequestResponse | undefined;
        const statements = await statementsDuring(app, async () => {
          response = await request.send(client);
        });
        expect(response?.statusCode, response?.body).toBe(200);
        expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(ceiling);
      }
    });
  }

  it('filters on a status and an inbox from the tallies with the same answer as the general filter', async () => {
    const resolved = await firstDisplayId();
    await admin.post(`${listUrl()}/${resolved}/toggle_status`, { status: 'resolved' });
    for (const client of [admin, agent]) {
      const tallied = await client.post(`${listUrl()}/filter`, { payload: statusAndInbox([inboxId]) });
      // Two values of one inbox: the same rows, through the general filter's WHERE and a counting scan.
      const general = await client.post(`${listUrl()}/filter`, {
        payload: statusAndInbox([inboxId, inboxId]),
      });
      expect(tallied.statusCode, tallied.body).toBe(200);
      expect(tallied.json()).toEqual(general.json());
      const { meta, payload } = tallied.json<{ data: { meta: Record<string, number>; payload: unknown[] } }>()
        .data;
      expect(payload).toHaveLength(5);
      expect(meta).toMatchObject({ all_count: 5, assigned_count: 2, unassigned_count: 3 });
    }
    const elsewhere = await admin.post(`${listUrl()}/filter`, { payload: statusAndInbox([inboxId + 1000]) });
    expect(elsewhere.json<{ data: { meta: { all_count: number } } }>().data.meta.all_count).toBe(0);
    await admin.post(`${listUrl()}/${resolved}/toggle_status`, { status: 'open' });
  });

  async function firstDisplayId(): Promise<number> {
    const [row] = await app.parley.ctx.db
      .select({ displayId: conversations.displayId })
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.status, 'open')))
      .orderBy(conversations.id)
      .limit(1);
    return row?.displayId ?? 0;
  }

  it('lists the rows it pages over, each with its last message', async () => {
    const response = await admin.get(listUrl());
    const payload = response.json<{ data: { payload: { id: number; messages: unknown[] }[] } }>().data
      .payload;
    expect(payload).toHaveLength(6);
    expect(payload.every((row) => row.messages.length === 1)).toBe(true);
  });

  it('builds the same views, key for key, as the per-table loaders', async () => {
    const db = app.parley.ctx.db;
    for (const options of [
      { filters: { status: 'open' as const }, assigneeType: 'all' as const, meUserId: null, page: 1 },
      { filters: { status: 'all' as const }, assigneeType: 'me' as const, meUserId: agentUserId, page: 1 },
      { filters: {}, assigneeType: 'unassigned' as const, meUserId: null, page: 1 },
    ]) {
      const rows = await listConversations(db, accountId, options);
      const snapshots = await snapshotsOfRows(db, accountId, rows);
      const lastRows = await loadLastMessages(db, accountId, rows);
      const messageSnapshots = await loadMessageSnapshots(
        db,
        accountId,
        [...lastRows.values()],
        new Map(rows.map((row) => [row.id, row.displayId])),
      );
      const expected = rows.map((row) => {
        const last = lastRows.get(row.id);
        return {
          conversation: snapshots.get(row.id),
          lastMessage: last ? (messageSnapshots.get(last.id) ?? null) : null,
        };
      });
      expect(expected.length).toBeGreaterThan(0);
      expect(JSON.stringify(await listConversationViews(db, accountId, options))).toBe(
        JSON.stringify(expected),
      );
      expect(JSON.stringify(await loadConversationViews(db, accountId, [...rows].reverse()))).toBe(
        JSON.stringify([...expected].reverse()),
      );
    }
    const attachmentCount = await db.$count(attachments, and(eq(attachments.accountId, accountId)));
    expect(attachmentCount).toBe(2);
    const views = await listConversationViews(db, accountId, {
      filters: {},
      assigneeType: 'all',
      meUserId: null,
      page: 1,
    });
    const senders = views.map((view) => view.lastMessage?.sender?.type ?? null);
    expect(new Set(senders)).toEqual(new Set([null, 'contact', 'user']));
    expect(views.flatMap((view) => view.lastMessage?.attachments ?? []).map((file) => file.fileName)).toEqual(
      ['b.png', 'a.pdf'],
    );
  });

  it('reads views and snapshots, whose text is built once, inside the transaction it is given', async () => {
    const db = app.parley.ctx.db;
    const options = { filters: {}, assigneeType: 'all' as const, meUserId: null, page: 1 };
    const [first] = await listConversations(db, accountId, options);
    if (!first) throw new Error('no conversation');
    let seen: (string | null | undefined)[] = [];
    const rolledBack = await db
      .transaction(async (tx) => {
        // Uncommitted: only a read on this transaction's connection sees it (on the embedded
        // database, a read on another handle would wait for the transaction and never end).
        await tx
          .update(contacts)
          .set({ name: 'Renamed in the transaction' })
          .where(eq(contacts.id, first.contactId));
        const [view] = await loadConversationViews(tx, accountId, [first]);
        const snapshot = await snapshotOfRow(tx, first);
        seen = [view?.conversation.contact.name, snapshot.contact.name];
        tx.rollback();
      })
      .then(
        () => false,
        () => true,
      );
    expect(rolledBack).toBe(true);
    expect(seen).toEqual(['Renamed in the transaction', 'Renamed in the transaction']);
    const [after] = await loadConversationViews(db, accountId, [first]);
    expect(after?.conversation.contact.name).not.toBe('Renamed in the transaction');
  });
});
