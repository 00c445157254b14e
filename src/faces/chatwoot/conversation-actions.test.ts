import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { conversations, messages } from '../../core/conversations/conversations.tables.js';
import { events } from '../../platform/events/events.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
  type ChatwootClient,
} from './conversations.test-kit.js';

interface ConversationJson {
  status: string;
  priority?: string;
  snoozed_until?: number;
  custom_attributes: Record<string, unknown>;
}

let app: TestApp;
let accountId: number;
let admin: ChatwootClient;
let inboxId: number;
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
  contactId = await seedContact(app, accountId, { name: 'Jane Doe', email: 'jane@example.com' });
  const second = await seedAccount(app, 'Globex');
  other = { accountId: second.accountId, client: chatwootClient(app, second.apiKey) };
});

afterAll(async () => {
  await app.close();
});

describe('conversation updates', () => {
  let displayId: number;
  const url = (suffix = '') => `${A()}/conversations/${displayId}${suffix}`;

  beforeAll(async () => {
    displayId = await openConversation(admin, accountId, { inbox_id: inboxId, contact_id: contactId });
  });

  it('toggles open <-> resolved without a status, and sets one when given', async () => {
    const resolved = await admin.post(url('/toggle_status'), {});
    const reopened = await admin.post(url('/toggle_status'), {});
    const pending = await admin.post(url('/toggle_status'), { status: 'pending' });

    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toEqual({
      meta: {},
      payload: { success: true, current_status: 'resolved', conversation_id: displayId },
    });
    expect(reopened.json()).toMatchObject({ payload: { current_status: 'open' } });
    expect(pending.json()).toMatchObject({ payload: { current_status: 'pending' } });
    const statusEvents = await app.parley.ctx.db
      .select()
      .from(events)
      .where(eq(events.type, 'conversation.status_changed'));
    expect(statusEvents.length).toBeGreaterThanOrEqual(3);
  });

  it('snoozes until a time, shown as unix seconds', async () => {
    const until = Math.floor(Date.now() / 1000) + 3600;

    const response = await admin.post(url('/toggle_status'), { status: 'snoozed', snoozed_until: until });
    const shown = await admin.get(url());

    expect(response.json()).toMatchObject({ payload: { current_status: 'snoozed' } });
    expect(shown.json<ConversationJson>()).toMatchObject({ status: 'snoozed', snoozed_until: until });
  });

  it('rejects an unknown status or a past snooze with nothing changed', async () => {
    await admin.post(url('/toggle_status'), { status: 'open' });

    const unknown = await admin.post(url('/toggle_status'), { status: 'closed' });
    const past = await admin.post(url('/toggle_status'), { status: 'snoozed', snoozed_until: 1000 });

    expect([400, 422]).toContain(unknown.statusCode);
    expect(past.statusCode).toBe(422);
    expect(past.json()).toMatchObject({ errors: [{ field: 'snoozed_until' }] });
    expect((await admin.get(url())).json<ConversationJson>().status).toBe('open');
  });

  it('answers 422, not 500, for a snooze beyond any date (found by the fuzz pass)', async () => {
    await admin.post(url('/toggle_status'), { status: 'open' });

    const response = await admin.post(url('/toggle_status'), {
      status: 'snoozed',
      snoozed_until: Number.MAX_SAFE_INTEGER,
    });

    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ errors: [{ field: 'snoozed_until' }] });
    expect((await admin.get(url())).json<ConversationJson>().status).toBe('open');
  });

  it('sets priority through PATCH and toggle_priority ("none" clears it)', async () => {
    const patched = await admin.patch(url(), { priority: 'high', sla_policy_id: 3 });
    const toggled = await admin.post(url('/toggle_priority'), { priority: 'urgent' });
    const afterToggle = await admin.get(url());
    await admin.post(url('/toggle_priority'), { priority: 'none' });
    const bad = await admin.post(url('/toggle_priority'), { priority: 'asap' });

    expect(patched.statusCode).toBe(200);
    expect(patched.json<ConversationJson>().priority).toBe('high');
    expect(toggled.statusCode).toBe(200);
    expect(afterToggle.json<ConversationJson>().priority).toBe('urgent');
    expect((await admin.get(url())).json<ConversationJson>()).not.toHaveProperty('priority');
    expect([400, 422]).toContain(bad.statusCode);
  });

  it('replaces labels and lists them', async () => {
    await admin.post(url('/labels'), { labels: ['a', 'b'] });

    const replaced = await admin.post(url('/labels'), { labels: ['support', 'billing', 'billing'] });
    const listed = await admin.get(url('/labels'));

    expect(replaced.json()).toEqual({ payload: ['support', 'billing'] });
    expect(listed.json()).toEqual({ payload: ['support', 'billing'] });
    const updates = await app.parley.ctx.db
      .select()
      .from(events)
      .where(eq(events.type, 'conversation.updated'));
    expect(updates.some((event) => JSON.stringify(event.payload).includes('"labels"'))).toBe(true);
  });

  it('sets custom attributes, validated against definitions', async () => {
    await app.parley.ctx.db.execute(sql`INSERT INTO custom_attribute_definitions
      (account_id, attribute_model, attribute_key, attribute_display_name, attribute_display_type)
      VALUES (${accountId}, 'conversation', 'order_count', 'Orders', 'number')`);

    const ok = await admin.post(url('/custom_attributes'), {
      custom_attributes: { order_count: 3, note: 'vip' },
    });
    const bad = await admin.post(url('/custom_attributes'), { custom_attributes: { order_count: 'many' } });

    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ custom_attributes: { order_count: 3, note: 'vip' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'custom_attributes.order_count' }] });
    expect((await admin.get(url())).json<ConversationJson>().custom_attributes).toEqual({
      order_count: 3,
      note: 'vip',
    });
  });

  it("answers 404 on every action for another account's conversation", async () => {
    const foreign = `/api/v1/accounts/${other.accountId}/conversations/${displayId}`;
    const results = await Promise.all([
      other.client.post(`${foreign}/toggle_status`, {}),
      other.client.post(`${foreign}/toggle_priority`, { priority: 'low' }),
      other.client.patch(foreign, { priority: 'low' }),
      other.client.post(`${foreign}/labels`, { labels: ['x'] }),
      other.client.get(`${foreign}/labels`),
      other.client.post(`${foreign}/custom_attributes`, { custom_attributes: {} }),
      other.client.post(`${foreign}/assignments`, { assignee_id: agent.userId }),
    ]);

    expect(results.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await admin.get(url('/labels'))).json()).toEqual({ payload: ['support', 'billing'] });
  });

  it('writes activity lines for status changes made by a person', async () => {
    const asAgent = chatwootClient(app, agent.token);

    await asAgent.post(url('/toggle_status'), { status: 'resolved' });

    const [row] = await app.parley.ctx.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.displayId, displayId)));
    const activity = await app.parley.ctx.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, row!.id), eq(messages.messageType, 'activity')));
    expect(activity.map((message) => message.content)).toContain('Conversation was marked resolved by Alice');
  });
});
