import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { queryRows } from '../../platform/db/database.js';
import { inboxMembers } from '../../core/inboxes/inboxes.tables.js';
import { waitFor } from '../../testing/wait.js';
import {
  seedWhatsappInbox,
  standInGroupMessage,
  standInMemberJoins,
} from '../../core/whatsapp/stand-in.test-kit.js';
import { chatwootCaller, seedUser } from './admin-test-kit.js';
import { createAutomationRule, labelAndAssignRule } from './automation-rules.test-kit.js';
import { waitForScheduledMessageSent } from './scheduled-messages.test-kit.js';

/**
 * Issue 12's end-to-end walk through the Chatwoot face: a WhatsApp group is created, a member joins
 * and writes through the stand-in provider, an automation rule labels and assigns the conversation,
 * a scheduled message goes out at its time, and the reports count what happened.
 */
describe(`WhatsApp group support, end to end (${backendName})`, () => {
  let app: TestApp;
  let call: ReturnType<typeof chatwootCaller>;
  let account: { accountId: number; apiKey: string };
  let agent: { userId: number; token: string };
  let inboxId: number;

  beforeAll(async () => {
    app = await createTestApp();
    call = chatwootCaller(app);
    account = await seedAccount(app, 'Acme');
    agent = await seedUser(app, { accountId: account.accountId, role: 'agent', email: 'ana@acme.test' });
    inboxId = await seedWhatsappInbox(app, account.accountId, { phoneNumber: '+5511900000000' });
    // Chatwoot assigns only agents who answer the inbox.
    await app.parley.ctx.db
      .insert(inboxMembers)
      .values({ accountId: account.accountId, inboxId, userId: agent.userId });
    await app.parley.startBackground();
  });
  afterAll(async () => {
    await app.close();
  });

  const api = (path: string) => `/api/v1/accounts/${account.accountId}${path}`;

  it('routes a group message through automation, sends a scheduled reply and reports both', async () => {
    await createAutomationRule(app, {
      accountId: account.accountId,
      token: account.apiKey,
      rule: labelAndAssignRule({ label: 'refunds', agentId: agent.userId, contains: 'refund' }),
    });
    const created = await call('POST', api('/groups'), account.apiKey, {
      inbox_id: inboxId,
      subject: 'Premium customers',
      participants: ['5511911110000'],
    });
    expect(created.statusCode).toBe(200);
    const groupJid = created.json<{ group_jid: string }>().group_jid;
    const group = { accountId: account.accountId, groupJid };

    await standInMemberJoins(app, group, { phone: '+5511922220000', name: 'Maria' });
    const arrived = await standInGroupMessage(app, group, {
      phone: '+5511922220000',
      name: 'Maria',
      text: 'Hello, I would like a refund for my last order',
    });
    if (arrived.outcome !== 'applied' || arrived.conversationId === undefined) {
      throw new Error(`group message not applied: ${JSON.stringify(arrived)}`);
    }
    const [conversation] = await queryRows<{ display_id: string }>(
      app.parley.ctx.db,
      sql`SELECT display_id::text FROM conversations
          WHERE account_id = ${account.accountId} AND id = ${arrived.conversationId}`,
    );
    const displayId = Number(conversation?.display_id);

    // The member who joined through the provider is listed, and the rule labels and assigns.
    const members = await call(
      'GET',
      api(`/contacts/${arrived.groupContactId}/group_members`),
      account.apiKey,
    );
    expect(
      members
        .json<{ payload: { contact: { phone_number?: string } }[] }>()
        .payload.map((m) => m.contact.phone_number),
    ).toContain('+5511922220000');
    const routed = await waitFor(
      async () => {
        const response = await call('GET', api(`/conversations/${displayId}`), account.apiKey);
        const body = response.json<{ labels: string[]; meta: { assignee?: { id: number } } }>();
        return body.labels.includes('refunds') && body.meta.assignee?.id === agent.userId ? body : undefined;
      },
      { what: 'the automation rule to label and assign the group conversation', timeoutMs: 30_000 },
    );
    expect(routed.labels).toEqual(['refunds']);

    // The incoming message shows the member, not the group, as its sender.
    const messages = await call('GET', api(`/conversations/${displayId}/messages`), account.apiKey);
    const incoming = messages
      .json<{ payload: { message_type: number; sender?: { phone_number?: string } }[] }>()
      .payload.filter((message) => message.message_type === 0);
    expect(incoming.map((message) => message.sender?.phone_number)).toEqual(['+5511922220000']);

    // A reply scheduled two seconds ahead goes out once, at its time.
    const scheduledAt = new Date(Date.now() + 2_000).toISOString();
    const scheduled = await call('POST', api(`/conversations/${displayId}/scheduled_messages`), agent.token, {
      content: 'Your refund is on its way',
      scheduled_at: scheduledAt,
      status: 'pending',
    });
    expect(scheduled.statusCode).toBe(200);
    const scheduledId = scheduled.json<{ id: number }>().id;
    const sentMessageId = await waitForScheduledMessageSent(app, account.accountId, scheduledId, {
      timeoutMs: 30_000,
    });
    const [sent] = await queryRows<{ content: string; created_at: Date }>(
      app.parley.ctx.db,
      sql`SELECT content, created_at FROM messages WHERE account_id = ${account.accountId} AND id = ${sentMessageId}`,
    );
    expect(sent?.content).toBe('Your refund is on its way');
    expect(new Date(sent?.created_at ?? 0).getTime()).toBeGreaterThanOrEqual(new Date(scheduledAt).getTime());

    // The reports count the conversation, the member's message and the scheduled reply.
    // Day-aligned, as Chatwoot's own screens ask (the counters are kept per quarter hour).
    const since = Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400;
    const until = since + 3 * 86_400;
    const summary = await waitFor(
      async () => {
        const response = await call(
          'GET',
          `/api/v2/accounts/${account.accountId}/reports/summary?type=account&since=${since}&until=${until}`,
          account.apiKey,
        );
        const body = response.json<Record<string, unknown>>();
        return body.outgoing_messages_count === 1 ? body : undefined;
      },
      { what: 'the reports to count the scheduled reply', timeoutMs: 30_000 },
    );
    expect(summary).toMatchObject({
      conversations_count: 1,
      incoming_messages_count: 1,
      outgoing_messages_count: 1,
    });
  }, 120_000);
});
