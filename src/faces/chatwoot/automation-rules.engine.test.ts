import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { waitFor } from '../../testing/wait.js';
import { startWebhookReceiver } from '../../testing/webhook-receiver.js';
import { queryRows } from '../../platform/db/database.js';
import { outboundEmails } from '../../core/mail/index.js';
import { webhookDeliveries } from '../../core/webhooks/webhooks.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from './conversations.test-kit.js';
import { createAutomationRule, labelAndAssignRule, type RuleBody } from './automation-rules.test-kit.js';

interface Conversation {
  status: string;
  labels: string[];
  muted: boolean;
  meta: { assignee?: { id: number } };
}

/** The engine end to end: events through the relay, rules as jobs, actions through the core. */
// A loaded 2-core machine runs the relay and the jobs slowly: generous waits, never timed assertions.
const patiently = { timeoutMs: 30_000 };

describe(`Chatwoot automation rules engine (${backendName})`, { timeout: 90_000 }, () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    app = await createTestApp({ PARLEY_OUTBOUND_ALLOWLIST: ['127.0.0.1'] });
    receiver = await startWebhookReceiver();
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await receiver.close();
    await app.close();
  });

  /** Each test gets its own account, so one test's rules never see another's messages. */
  async function setUp(rules: RuleBody[] | ((agentId: number) => RuleBody[])) {
    const account = await seedAccount(app, 'Acme');
    const agent = await seedAgent(app, account.accountId);
    const inboxId = await seedInbox(app, account.accountId, { memberIds: [agent.userId] });
    const contactId = await seedContact(app, account.accountId, { email: 'jane@example.com' });
    const client = chatwootClient(app, account.apiKey);
    for (const rule of typeof rules === 'function' ? rules(agent.userId) : rules) {
      await createAutomationRule(app, { accountId: account.accountId, token: account.apiKey, rule });
    }
    const base = `/api/v1/accounts/${account.accountId}/conversations`;
    return {
      ...account,
      agent,
      inboxId,
      client,
      open: () => openConversation(client, account.accountId, { inbox_id: inboxId, contact_id: contactId }),
      say: async (displayId: number, content: string) => {
        const response = await client.post(`${base}/${displayId}/messages`, {
          content,
          message_type: 'incoming',
        });
        expect(response.statusCode).toBe(200);
      },
      get: async (displayId: number) => (await client.get(`${base}/${displayId}`)).json<Conversation>(),
      messages: async (displayId: number) =>
        (await client.get(`${base}/${displayId}/messages`)).json<{
          payload: {
            content: string | null;
            message_type: number;
            content_attributes: Record<string, unknown>;
          }[];
        }>().payload,
    };
  }

  /** Nothing left to do: every event dispatched and no rule run pending (a loop would never get here). */
  async function settled(accountId: number): Promise<boolean> {
    const [row] = await queryRows<{ events: string | number; jobs: string | number }>(
      app.parley.ctx.db,
      sql`SELECT
        (SELECT count(*) FROM events WHERE account_id = ${accountId} AND dispatched_at IS NULL) AS events,
        (SELECT count(*) FROM jobs WHERE account_id = ${accountId} AND name = 'automation.run_rule'
           AND state IN ('queued', 'retrying', 'running')) AS jobs`,
    );
    return Number(row?.events) === 0 && Number(row?.jobs) === 0;
  }

  it('labels and assigns an incoming message that contains a word, and leaves others alone', async () => {
    const t = await setUp((agentId) => [labelAndAssignRule({ label: 'bug', agentId, contains: 'bug' })]);
    const quiet = await t.open();
    const noisy = await t.open();

    await t.say(quiet, 'Hello, just saying hi');
    await t.say(noisy, 'I found a BUG in checkout');

    const done = await waitFor(async () => {
      const conversation = await t.get(noisy);
      return (
        conversation.labels.includes('bug') &&
        conversation.meta.assignee?.id === t.agent.userId &&
        conversation
      );
    }, patiently);
    expect(done.labels).toEqual(['bug']);
    await waitFor(() => settled(t.accountId), patiently);
    expect((await t.get(quiet)).labels).toEqual([]);
    expect((await t.get(quiet)).meta.assignee).toBeUndefined();
  });

  it('chains conditions with OR', async () => {
    const t = await setUp([
      {
        name: 'billing words',
        event_name: 'message_created',
        conditions: [
          { attribute_key: 'content', filter_operator: 'contains', values: ['refund'], query_operator: 'OR' },
          { attribute_key: 'content', filter_operator: 'contains', values: ['chargeback'] },
        ],
        actions: [{ action_name: 'add_label', action_params: ['billing'] }],
      },
    ]);
    const neither = await t.open();
    const second = await t.open();

    await t.say(neither, 'Where is my parcel?');
    await t.say(second, 'I will file a chargeback');

    await waitFor(async () => (await t.get(second)).labels.includes('billing'), patiently);
    await waitFor(() => settled(t.accountId), patiently);
    expect((await t.get(neither)).labels).toEqual([]);
  });

  it('runs a send_message rule once although its own message matches it (loop protection)', async () => {
    const t = await setUp([
      {
        name: 'echo',
        event_name: 'message_created',
        conditions: [{ attribute_key: 'content', filter_operator: 'contains', values: ['ping'] }],
        actions: [{ action_name: 'send_message', action_params: ['ping back'] }],
      },
    ]);
    const displayId = await t.open();

    await t.say(displayId, 'ping');

    await waitFor(
      async () => (await t.messages(displayId)).some((message) => message.content === 'ping back'),
      patiently,
    );
    await waitFor(() => settled(t.accountId), patiently);
    const replies = (await t.messages(displayId)).filter((message) => message.content === 'ping back');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      message_type: 1,
      content_attributes: { automation_rule_id: expect.any(Number) },
    });
  });

  it('resolves, snoozes and mutes conversations', async () => {
    const rule = (word: string, action: string): RuleBody => ({
      name: word,
      event_name: 'message_created',
      conditions: [{ attribute_key: 'content', filter_operator: 'equal_to', values: [word] }],
      actions: [{ action_name: action, action_params: [] }],
    });
    const t = await setUp([
      rule('resolve me', 'resolve_conversation'),
      rule('snooze me', 'snooze_conversation'),
      rule('mute me', 'mute_conversation'),
    ]);
    const [resolved, snoozed, muted] = [await t.open(), await t.open(), await t.open()];

    await t.say(resolved, 'Resolve me');
    await t.say(snoozed, 'snooze me');
    await t.say(muted, 'mute me');

    await waitFor(async () => (await t.get(resolved)).status === 'resolved', patiently);
    await waitFor(async () => (await t.get(snoozed)).status === 'snoozed', patiently);
    const mutedConversation = await waitFor(async () => {
      const conversation = await t.get(muted);
      return conversation.muted && conversation;
    }, patiently);
    expect(mutedConversation.status).toBe('resolved');
  });

  it('stores a transcript email for each address, the contact included', async () => {
    const t = await setUp([
      {
        name: 'transcript',
        event_name: 'message_created',
        conditions: [{ attribute_key: 'content', filter_operator: 'starts_with', values: ['please send'] }],
        actions: [
          { action_name: 'send_email_transcript', action_params: ['boss@acme.test, {{contact.email}}'] },
        ],
      },
    ]);
    const displayId = await t.open();
    await t.say(displayId, 'My order 42 never came');

    await t.say(displayId, 'Please send me the transcript');

    const emails = await waitFor(async () => {
      const rows = await app.parley.ctx.db
        .select()
        .from(outboundEmails)
        .where(and(eq(outboundEmails.accountId, t.accountId), eq(outboundEmails.status, 'sent')));
      return rows.length === 2 && rows;
    }, patiently);
    expect(emails.map((email) => email.toAddress).sort()).toEqual(['boss@acme.test', 'jane@example.com']);
    for (const email of emails) {
      expect(email).toMatchObject({
        transport: 'local',
        subject: expect.stringContaining('Conversation Transcript'),
      });
      expect(email.textBody).toContain('My order 42 never came');
      expect(email.textBody).toContain('Please send me the transcript');
    }
  });

  it('delivers send_webhook_event through the webhook engine, signed and logged', async () => {
    const t = await setUp([
      {
        name: 'notify',
        event_name: 'conversation_created',
        conditions: [],
        actions: [{ action_name: 'send_webhook_event', action_params: [receiver.url('/automation')] }],
      },
    ]);

    const displayId = await t.open();

    const request = await waitFor(
      () =>
        receiver.received.find(
          (entry) => entry.path === '/automation' && JSON.parse(entry.body).id === displayId,
        ),
      patiently,
    );
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'automation_event.conversation_created',
      id: displayId,
    });
    expect(request.headers['x-chatwoot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const deliveries = await waitFor(async () => {
      const rows = await app.parley.ctx.db
        .select()
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.accountId, t.accountId), eq(webhookDeliveries.state, 'succeeded')));
      return rows.length > 0 && rows;
    }, patiently);
    expect(deliveries.map((delivery) => delivery.eventType)).toEqual([
      'automation_event.conversation_created',
    ]);
  });

  it('does nothing for an inactive rule', async () => {
    const t = await setUp([
      {
        ...labelAndAssignRule({ label: 'never', agentId: 0 }),
        active: false,
        actions: [{ action_name: 'add_label', action_params: ['never'] }],
      },
      {
        ...labelAndAssignRule({ label: 'active', agentId: 0 }),
        actions: [{ action_name: 'add_label', action_params: ['active'] }],
      },
    ]);
    const displayId = await t.open();

    await t.say(displayId, 'anything');

    await waitFor(async () => (await t.get(displayId)).labels.includes('active'), patiently);
    await waitFor(() => settled(t.accountId), patiently);
    expect((await t.get(displayId)).labels).toEqual(['active']);
  });
});
