import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { messages } from '../../core/conversations/conversations.tables.js';
import { createAgentBot } from '../../core/agent-bots/agent-bots.js';
import { events } from '../../platform/events/events.tables.js';
import { jobs } from '../../platform/jobs/index.js';
import {
  chatwootClient,
  conversationRowOf,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  seedTeam,
  type ChatwootClient,
} from './conversations.test-kit.js';

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let contactId: number;

const A = () => `/api/v1/accounts/${accountId}`;

const rowOf = (displayId: number) => conversationRowOf(app, accountId, displayId);

beforeAll(async () => {
  app = await createTestApp();
  const seeded = await seedAccount(app, 'Acme');
  accountId = seeded.accountId;
  admin = chatwootClient(app, seeded.apiKey);
  contactId = await seedContact(app, accountId);
});

afterAll(async () => {
  await app.close();
});

describe('POST /assignments', () => {
  let alice: Awaited<ReturnType<typeof seedAgent>>;
  let bob: Awaited<ReturnType<typeof seedAgent>>;
  let outsider: Awaited<ReturnType<typeof seedAgent>>;
  let inboxId: number;

  beforeAll(async () => {
    alice = await seedAgent(app, accountId, { name: 'Alice' });
    bob = await seedAgent(app, accountId, { name: 'Bob' });
    outsider = await seedAgent(app, accountId, { name: 'Olga' });
    inboxId = await seedInbox(app, accountId, { memberIds: [alice.userId, bob.userId] });
  });

  it('assigns an inbox member, answers with the agent and writes the activity line', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const asAlice = chatwootClient(app, alice.token);

    const response = await asAlice.post(`${A()}/conversations/${displayId}/assignments`, {
      assignee_id: bob.userId,
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: bob.userId,
      account_id: accountId,
      name: 'Bob',
      role: 'agent',
      availability_status: 'available',
    });
    const row = await rowOf(displayId);
    expect(row.assigneeId).toBe(bob.userId);
    const activity = await app.parley.ctx.db
      .select({ content: messages.content })
      .from(messages)
      .where(and(eq(messages.conversationId, row.id), eq(messages.messageType, 'activity')));
    expect(activity.map((message) => message.content)).toEqual(['Assigned to Bob by Alice']);
    const updates = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'conversation.updated'), eq(events.aggregateId, String(row.id))))
      .orderBy(asc(events.id));
    expect(updates.at(-1)?.payload).toMatchObject({
      changes: { assignee_id: { from: null, to: bob.userId } },
      conversation: { assignee: { id: bob.userId, name: 'Bob' } },
    });
    const shown = await admin.get(`${A()}/conversations/${displayId}`);
    expect(shown.json()).toMatchObject({ meta: { assignee: { id: bob.userId, name: 'Bob' } } });
  });

  it('refuses an agent who is not in the inbox with 422 and changes nothing', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const stranger = await seedAccount(app, 'Elsewhere');
    const foreignAgent = await seedAgent(app, stranger.accountId);

    const notMember = await admin.post(`${A()}/conversations/${displayId}/assignments`, {
      assignee_id: outsider.userId,
    });
    const notInAccount = await admin.post(`${A()}/conversations/${displayId}/assignments`, {
      assignee_id: foreignAgent.userId,
    });
    const empty = await admin.post(`${A()}/conversations/${displayId}/assignments`, {});

    expect(notMember.statusCode).toBe(422);
    expect(notMember.json()).toEqual({
      description: "The assignee is not a member of the conversation's inbox",
      errors: [
        {
          field: 'assignee_id',
          message: "The assignee is not a member of the conversation's inbox",
          code: 'validation_failed',
        },
      ],
    });
    expect(notInAccount.statusCode).toBe(422);
    expect(notInAccount.json()).toMatchObject({
      description: 'The assignee is not an agent of this account',
    });
    expect(empty.statusCode).toBe(422);
    expect((await rowOf(displayId)).assigneeId).toBeNull();
  });

  it('unassigns with assignee_id null', async () => {
    const displayId = await openConversation(admin, accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
      assignee_id: alice.userId,
    });

    const response = await admin.post(`${A()}/conversations/${displayId}/assignments`, { assignee_id: null });

    // Chatwoot answers null; the seed's answer is a `user` object, so an empty one.
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
    expect((await rowOf(displayId)).assigneeId).toBeNull();
  });

  it('assigns a team and picks an online team member who answers the inbox', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const team = await seedTeam(app, accountId, [outsider.userId, bob.userId], { name: 'Billing' });

    const response = await admin.post(`${A()}/conversations/${displayId}/assignments`, { team_id: team });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: team, name: 'Billing', account_id: accountId });
    const row = await rowOf(displayId);
    expect(row.teamId).toBe(team);
    // Olga is in the team but not in the inbox.
    expect(row.assigneeId).toBe(bob.userId);
  });

  it('lets an agent bot assign', async () => {
    const displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
    const { token } = await createAgentBot(
      app.parley.ctx.db,
      { name: 'Router', accountId, isPlatformOwned: false },
      { type: 'system' },
    );

    const response = await chatwootClient(app, token).post(`${A()}/conversations/${displayId}/assignments`, {
      assignee_id: alice.userId,
    });

    expect(response.statusCode).toBe(200);
    expect((await rowOf(displayId)).assigneeId).toBe(alice.userId);
  });
});

describe('auto-assignment', () => {
  it('round-robins among online members, skipping offline ones', async () => {
    const one = await seedAgent(app, accountId, { availability: 'online' });
    const two = await seedAgent(app, accountId, { availability: 'online' });
    const away = await seedAgent(app, accountId, { availability: 'offline' });
    const inbox = await seedInbox(app, accountId, {
      enableAutoAssignment: true,
      memberIds: [one.userId, two.userId, away.userId],
    });

    const assignees: (number | null)[] = [];
    for (let index = 0; index < 4; index += 1) {
      const displayId = await openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });
      assignees.push((await rowOf(displayId)).assigneeId);
    }

    expect(assignees).toEqual([one.userId, two.userId, one.userId, two.userId]);
  });

  it('skips members at the open-conversation limit', async () => {
    const one = await seedAgent(app, accountId);
    const two = await seedAgent(app, accountId);
    const inbox = await seedInbox(app, accountId, {
      enableAutoAssignment: true,
      maxAssignmentLimit: 1,
      memberIds: [one.userId, two.userId],
    });
    const open = () => openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });

    const first = await open();
    const second = await open();
    const third = await open();
    await admin.post(`${A()}/conversations/${first}/toggle_status`, { status: 'resolved' });
    const fourth = await open();

    expect((await rowOf(first)).assigneeId).toBe(one.userId);
    expect((await rowOf(second)).assigneeId).toBe(two.userId);
    expect((await rowOf(third)).assigneeId).toBeNull();
    expect((await rowOf(fourth)).assigneeId).toBe(one.userId);
  });

  it('gives concurrent creations distinct agents under a capacity of one', async () => {
    const agents = await Promise.all([1, 2, 3, 4].map(() => seedAgent(app, accountId)));
    const inbox = await seedInbox(app, accountId, {
      enableAutoAssignment: true,
      maxAssignmentLimit: 1,
      memberIds: agents.map((agent) => agent.userId),
    });

    const displayIds = await Promise.all(
      agents.map(() => openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId })),
    );

    const assignees = await Promise.all(
      displayIds.map(async (displayId) => (await rowOf(displayId)).assigneeId),
    );
    expect(new Set(assignees).size).toBe(4);
    expect(assignees.every((assignee) => assignee !== null)).toBe(true);
  });

  it('leaves the conversation unassigned when the inbox does not auto-assign', async () => {
    const agent = await seedAgent(app, accountId);
    const inbox = await seedInbox(app, accountId, { enableAutoAssignment: false, memberIds: [agent.userId] });

    const displayId = await openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });

    expect((await rowOf(displayId)).assigneeId).toBeNull();
  });
});

describe('snooze', () => {
  it('reopens a snoozed conversation through the durable job when due', async () => {
    const inbox = await seedInbox(app, accountId);
    const displayId = await openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });
    const until = Math.floor(Date.now() / 1000) + 3600;
    await admin.post(`${A()}/conversations/${displayId}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: until,
    });
    const row = await rowOf(displayId);
    const [job] = await app.parley.ctx.db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'conversations.reopen_snoozed'),
          sql`${jobs.payload}->>'conversationId' = ${String(row.id)}`,
        ),
      );

    expect(job?.runAt.getTime()).toBe(until * 1000);
    // Time passes: the snooze ends and the job is due.
    await app.parley.ctx.db.execute(
      sql`UPDATE conversations SET snoozed_until = now() - interval '1 second' WHERE id = ${row.id}`,
    );
    await app.parley.ctx.db.execute(
      sql`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = ${job!.id}`,
    );
    await app.parley.startBackground();

    const reopened = await waitFor(
      async () => ((await rowOf(displayId)).status === 'open' ? true : undefined),
      {
        what: 'the snoozed conversation to reopen',
      },
    );
    expect(reopened).toBe(true);
    expect((await rowOf(displayId)).snoozedUntil).toBeNull();
    const changed = await app.parley.ctx.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'conversation.status_changed'), eq(events.aggregateId, String(row.id))))
      // Without an order the server may return the rows in any order; the last one is the reopen.
      .orderBy(asc(events.id));
    expect(changed.at(-1)?.payload).toMatchObject({
      previousStatus: 'snoozed',
      conversation: { status: 'open' },
    });
  });

  it('leaves a conversation alone when its snooze was moved later', async () => {
    const inbox = await seedInbox(app, accountId);
    const displayId = await openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });
    const soon = Math.floor(Date.now() / 1000) + 60;
    await admin.post(`${A()}/conversations/${displayId}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: soon,
    });
    const row = await rowOf(displayId);
    await admin.post(`${A()}/conversations/${displayId}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: soon + 86_400,
    });
    const [early] = await app.parley.ctx.db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.name, 'conversations.reopen_snoozed'),
          sql`${jobs.payload}->>'conversationId' = ${String(row.id)}`,
          eq(jobs.runAt, new Date(soon * 1000)),
        ),
      );
    await app.parley.ctx.db.execute(
      sql`UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = ${early!.id}`,
    );
    await app.parley.startBackground();

    await waitFor(async () => {
      const [done] = await app.parley.ctx.db.select().from(jobs).where(eq(jobs.id, early!.id));
      return done?.state === 'completed' ? true : undefined;
    });
    expect((await rowOf(displayId)).status).toBe('snoozed');
  });

  it('reopens a snoozed conversation without an end when the contact writes', async () => {
    const inbox = await seedInbox(app, accountId);
    const displayId = await openConversation(admin, accountId, { inbox_id: inbox, contact_id: contactId });
    await admin.post(`${A()}/conversations/${displayId}/toggle_status`, { status: 'snoozed' });
    const snoozed = await rowOf(displayId);

    await admin.post(`${A()}/conversations/${displayId}/messages`, {
      content: 'hello?',
      message_type: 'incoming',
    });

    expect(snoozed).toMatchObject({ status: 'snoozed', snoozedUntil: null });
    expect((await rowOf(displayId)).status).toBe('open');
  });
});
