import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { conversations } from '../../core/conversations/conversations.tables.js';
import { events } from '../../platform/events/events.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedContactInbox,
  seedInbox,
  seedTeam,
  type ChatwootClient,
} from './conversations.test-kit.js';

interface ConversationJson {
  id: number;
  account_id: number;
  uuid: string;
  inbox_id: number;
  status: string;
  priority?: string;
  snoozed_until?: number;
  unread_count: number;
  labels: string[];
  muted: boolean;
  can_reply: boolean;
  timestamp: string;
  created_at: number;
  last_activity_at: number;
  waiting_since?: number;
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  messages: { id: number; content: string }[];
  last_non_activity_message?: { id: number; content: string; message_type: number };
  meta: {
    sender: { id: number; name: string; type: string; thumbnail: string };
    assignee?: { id: number; name: string; availability_status: string };
    team?: { id: number; name: string };
    hmac_verified: boolean;
    channel: string;
  };
}
interface ListJson {
  data: {
    meta: { mine_count: number; unassigned_count: number; assigned_count: number; all_count: number };
    payload: ConversationJson[];
  };
}

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let inboxId: number;
let otherInboxId: number;
let contactId: number;
let agent: { userId: number; token: string; name: string };
let other: { accountId: number; client: ChatwootClient };

const A = () => `/api/v1/accounts/${accountId}`;

beforeAll(async () => {
  app = await createTestApp();
  const seeded = await seedAccount(app, 'Acme');
  accountId = seeded.accountId;
  admin = chatwootClient(app, seeded.apiKey);
  agent = await seedAgent(app, accountId, { name: 'Alice' });
  inboxId = await seedInbox(app, accountId, { memberIds: [agent.userId] });
  otherInboxId = await seedInbox(app, accountId, { name: 'Sales' });
  contactId = await seedContact(app, accountId, { name: 'Jane Doe', email: 'jane@example.com' });
  const second = await seedAccount(app, 'Globex');
  other = { accountId: second.accountId, client: chatwootClient(app, second.apiKey) };
});

afterAll(async () => {
  await app.close();
});

describe('POST /conversations', () => {
  it('creates a conversation with the seed fields and a first outgoing message', async () => {
    const response = await admin.post(`${A()}/conversations`, {
      source_id: 'src-1',
      inbox_id: inboxId,
      contact_id: contactId,
      additional_attributes: { browser: 'Chrome' },
      message: { content: 'Hello, how can I help you?' },
    });

    expect(response.statusCode).toBe(200);
    const body = response.json<ConversationJson>();
    expect(body).toMatchObject({
      account_id: accountId,
      inbox_id: inboxId,
      status: 'open',
      unread_count: 0,
      labels: [],
      muted: false,
      can_reply: true,
      additional_attributes: { browser: 'Chrome' },
      custom_attributes: {},
    });
    expect(typeof body.id).toBe('number');
    expect(body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    // Unset times are left out (the seed has no null there); timestamp is text, as the seed types it.
    expect(body).not.toHaveProperty('priority');
    expect(body).not.toHaveProperty('snoozed_until');
    expect(body.timestamp).toBe(String(body.last_activity_at));
    expect(Number.isInteger(body.created_at)).toBe(true);
    expect(body.meta.sender).toMatchObject({ id: contactId, name: 'Jane Doe', type: 'contact' });
    expect(body.meta.channel).toBe('Channel::Api');
    expect(body.meta).not.toHaveProperty('assignee');
    expect(body.last_non_activity_message).toMatchObject({
      content: 'Hello, how can I help you?',
      message_type: 1,
    });
  });

  it('numbers conversations per account, and the second account starts at 1', async () => {
    const first = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const second = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const otherInbox = await seedInbox(app, other.accountId);
    const otherContact = await seedContact(app, other.accountId);

    const foreign = await openConversation(other.client, other.accountId, {
      inbox_id: otherInbox,
      contact_id: otherContact,
    });

    expect(second).toBe(first + 1);
    expect(foreign).toBe(1);
  });

  it('finds the contact from an existing source_id in the inbox', async () => {
    await seedContactInbox(app, accountId, contactId, otherInboxId, 'known-source');

    const response = await admin.post(`${A()}/conversations`, {
      source_id: 'known-source',
      inbox_id: otherInboxId,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json<ConversationJson>().meta.sender.id).toBe(contactId);
  });

  it('refuses bad input with 422 and writes nothing', async () => {
    const before = await app.parley.ctx.db.$count(conversations);
    const unknownSource = await admin.post(`${A()}/conversations`, {
      source_id: 'nobody',
      inbox_id: inboxId,
    });
    const missingInbox = await admin.post(`${A()}/conversations`, { source_id: 'x', contact_id: contactId });
    const badStatus = await admin.post(`${A()}/conversations`, {
      source_id: 'y',
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'closed',
    });
    const strangerAssignee = await admin.post(`${A()}/conversations`, {
      source_id: 'z',
      inbox_id: inboxId,
      contact_id: contactId,
      assignee_id: 999_999,
    });

    expect(unknownSource.statusCode).toBe(422);
    expect(unknownSource.json()).toMatchObject({
      description: expect.stringContaining('source_id'),
      errors: [{ field: 'source_id', code: 'validation_failed' }],
    });
    expect([400, 422]).toContain(missingInbox.statusCode);
    expect(missingInbox.json<{ errors: { field: string }[] }>().errors[0]?.field).toContain('inbox_id');
    expect([400, 422]).toContain(badStatus.statusCode);
    expect(strangerAssignee.statusCode).toBe(422);
    expect(strangerAssignee.json()).toMatchObject({ errors: [{ field: 'assignee_id' }] });
    expect(await app.parley.ctx.db.$count(conversations)).toBe(before);
  });

  it("answers 404 for another account's inbox or contact", async () => {
    const response = await other.client.post(`/api/v1/accounts/${other.accountId}/conversations`, {
      source_id: 'cross',
      inbox_id: inboxId,
      contact_id: contactId,
    });

    expect(response.statusCode).toBe(404);
  });

  it('records conversation.created with a snapshot', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const [row] = await app.parley.ctx.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));

    const recorded = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'conversation.created'), eq(events.aggregateId, String(row!.id))));

    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.payload).toMatchObject({
      conversation: { displayId, contact: { id: contactId, name: 'Jane Doe' }, inbox: { id: inboxId } },
    });
  });
});

describe('GET /conversations/:id', () => {
  it('shows a conversation and hides it from another account', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });

    const mine = await admin.get(`${A()}/conversations/${displayId}`);
    const theirs = await other.client.get(
      `/api/v1/accounts/${other.accountId}/conversations/${displayId + 1000}`,
    );
    const crossPath = await other.client.get(`${A()}/conversations/${displayId}`);

    expect(mine.statusCode).toBe(200);
    expect(mine.json<ConversationJson>().id).toBe(displayId);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ description: 'Conversation not found' });
    expect(crossPath.statusCode).toBe(404);
  });

  it('refuses an agent outside the inbox (403) and lets an inbox member in', async () => {
    const displayId = await openConversation(admin, accountId, {
      inbox_id: otherInboxId,
      contact_id: contactId,
    });
    const member = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const asAgent = chatwootClient(app, agent.token);

    expect((await asAgent.get(`${A()}/conversations/${displayId}`)).statusCode).toBe(403);
    expect((await asAgent.get(`${A()}/conversations/${member}`)).statusCode).toBe(200);
    const listed = (await asAgent.get(`${A()}/conversations?status=all`)).json<ListJson>().data.payload;
    expect(listed.map((c) => c.id)).toContain(member);
    expect(listed.every((c) => c.inbox_id === inboxId)).toBe(true);
  });

  it("answers 404 for another account's list, meta and filter", async () => {
    const results = await Promise.all([
      other.client.get(`${A()}/conversations`),
      other.client.get(`${A()}/conversations/meta`),
      other.client.post(`${A()}/conversations/filter`, {
        payload: [
          { attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null },
        ],
      }),
    ]);

    expect(results.map((response) => response.statusCode)).toEqual([404, 404, 404]);
  });

  it('needs a token', async () => {
    const response = await app.parley.server.inject({
      method: 'GET',
      url: `/chatwoot${A()}/conversations/1`,
    });

    expect(response.statusCode).toBe(401);
  });
});

describe('GET /conversations and /conversations/meta', () => {
  let listAccount: number;
  let client: ChatwootClient;
  let me: { userId: number; token: string };
  let inboxA: number;
  let inboxB: number;
  let team: number;

  beforeAll(async () => {
    const seeded = await seedAccount(app, 'Lists');
    listAccount = seeded.accountId;
    client = chatwootClient(app, seeded.apiKey);
    me = await seedAgent(app, listAccount, { role: 'administrator' });
    const colleague = await seedAgent(app, listAccount);
    inboxA = await seedInbox(app, listAccount, { memberIds: [me.userId, colleague.userId] });
    inboxB = await seedInbox(app, listAccount, { memberIds: [me.userId] });
    team = await seedTeam(app, listAccount, [me.userId]);
    const billy = await seedContact(app, listAccount, { name: 'Billy Bob' });
    const carla = await seedContact(app, listAccount, { name: 'Carla' });
    const open = (body: Record<string, unknown>) =>
      openConversation(client, listAccount, { inbox_id: inboxA, contact_id: carla, ...body });
    await open({ assignee_id: me.userId });
    await open({ assignee_id: colleague.userId, team_id: team });
    await open({ inbox_id: inboxB, contact_id: billy });
    const labelled = await open({});
    await client.post(`/api/v1/accounts/${listAccount}/conversations/${labelled}/labels`, {
      labels: ['billing'],
    });
    await open({ status: 'resolved' });
    await open({ status: 'pending', message: { content: 'Refund for order 4242 please' } });
  });

  const list = async (query: string) => {
    const response = await client.get(`/api/v1/accounts/${listAccount}/conversations?${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<ListJson>().data;
  };

  it('lists open conversations by default with meta counts under the same filters', async () => {
    const data = await list('');

    expect(data.payload).toHaveLength(4);
    expect(data.payload.every((conversation) => conversation.status === 'open')).toBe(true);
    // An API key is nobody: "mine" is empty for it.
    expect(data.meta).toEqual({ mine_count: 0, unassigned_count: 2, assigned_count: 2, all_count: 4 });
  });

  it('sorts by last activity, newest first', async () => {
    const data = await list('status=all');
    const activity = data.payload.map((conversation) => conversation.last_activity_at);

    expect(activity).toEqual([...activity].sort((a, b) => b - a));
    expect(data.payload).toHaveLength(6);
  });

  it('filters by status, assignee type, inbox, team, labels and q', async () => {
    const asMe = chatwootClient(app, me.token);
    const mine = (
      await asMe.get(`/api/v1/accounts/${listAccount}/conversations?assignee_type=me`)
    ).json<ListJson>();

    expect((await list('status=resolved')).payload.map((c) => c.status)).toEqual(['resolved']);
    expect((await list('status=pending')).payload).toHaveLength(1);
    expect((await list('assignee_type=unassigned')).payload.every((c) => c.meta.assignee === undefined)).toBe(
      true,
    );
    expect((await list('assignee_type=assigned')).payload).toHaveLength(2);
    expect(mine.data.payload.map((c) => c.meta.assignee?.id)).toEqual([me.userId]);
    expect(mine.data.meta.mine_count).toBe(1);
    expect((await list(`inbox_id=${inboxB}`)).payload.map((c) => c.inbox_id)).toEqual([inboxB]);
    expect((await list(`team_id=${team}`)).payload.map((c) => c.meta.team?.id)).toEqual([team]);
    expect((await list('labels[]=billing')).payload.map((c) => c.labels)).toEqual([['billing']]);
    expect((await list('status=all&q=order%204242')).payload).toHaveLength(1);
    expect((await list('q=billy')).payload.map((c) => c.meta.sender.name)).toEqual(['Billy Bob']);
  });

  it('answers /meta with the four counts', async () => {
    const response = await client.get(`/api/v1/accounts/${listAccount}/conversations/meta?status=all`);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      meta: { mine_count: 0, unassigned_count: 4, assigned_count: 2, all_count: 6 },
    });
  });

  it('pages by 25', async () => {
    const contact = await seedContact(app, listAccount);
    for (let index = 0; index < 26; index += 1) {
      await openConversation(client, listAccount, { inbox_id: inboxB, contact_id: contact });
    }

    const first = await list(`inbox_id=${inboxB}&page=1`);
    const second = await list(`inbox_id=${inboxB}&page=2`);

    expect(first.payload).toHaveLength(25);
    expect(second.payload).toHaveLength(2);
    expect(first.meta.all_count).toBe(27);
    const ids = new Set([...first.payload, ...second.payload].map((c) => c.id));
    expect(ids.size).toBe(27);
  });

  it('rejects a bad query with 400/422 in the Chatwoot error body', async () => {
    const response = await client.get(`/api/v1/accounts/${listAccount}/conversations?status=closed`);

    expect([400, 422]).toContain(response.statusCode);
    expect(response.json()).toMatchObject({ description: expect.any(String), errors: [{ field: 'status' }] });
  });
});

describe('POST /conversations/filter', () => {
  it('filters with a Chatwoot filter payload', async () => {
    const displayId = await openConversation(admin, accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'pending',
    });

    const response = await admin.post(`${A()}/conversations/filter?page=1`, {
      payload: [
        { attribute_key: 'status', filter_operator: 'equal_to', values: ['pending'], query_operator: null },
      ],
    });

    expect(response.statusCode).toBe(200);
    const data = response.json<ListJson>().data;
    expect(data.payload.map((c) => c.id)).toContain(displayId);
    expect(data.payload.every((c) => c.status === 'pending')).toBe(true);
    expect(typeof data.meta.all_count).toBe('number');
  });

  it('rejects an unknown attribute with 422', async () => {
    const response = await admin.post(`${A()}/conversations/filter`, {
      payload: [
        { attribute_key: 'shoe_size', filter_operator: 'equal_to', values: ['9'], query_operator: null },
      ],
    });

    expect(response.statusCode).toBe(422);
  });
});
