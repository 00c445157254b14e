import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createDixaTestApp, type DixaTestOrg } from './dixa-test-kit.js';
import type { TestApp } from '../../testing/app.js';
import { users } from '../../core/identity/identity.tables.js';
import {
  chatwootClient,
  openConversation,
  seedAgent,
  seedContact,
  seedInbox,
} from '../chatwoot/conversations.test-kit.js';

/** The reporting consumer fed by the events the real API records, not by hand-made ones. */
describe('Dixa analytics: figures from conversations handled through the API', () => {
  let app: TestApp;
  let org: DixaTestOrg;
  let agentUuid: string;
  const today = { _type: 'Preset', value: { _type: 'Today' } };

  const count = async (id: string) => {
    const response = await org.call('POST', '/v1/analytics/metrics', {
      id,
      periodFilter: today,
      timezone: 'UTC',
      aggregations: ['Count'],
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: { aggregates: { value: number }[] } }>().data.aggregates[0]?.value;
  };

  beforeAll(async () => {
    const created = await createDixaTestApp();
    app = created.app;
    org = await created.organization('Live analytics');
    const agent = await seedAgent(app, org.accountId, { name: 'Alice', role: 'administrator' });
    const [row] = await app.parley.ctx.db
      .select({ uuid: users.uuid })
      .from(users)
      .where(eq(users.id, agent.userId));
    agentUuid = row?.uuid ?? '';
    const inboxId = await seedInbox(app, org.accountId, { memberIds: [agent.userId] });
    const contactId = await seedContact(app, org.accountId);
    const client = chatwootClient(app, agent.token);
    const base = `/api/v1/accounts/${org.accountId}/conversations`;
    const displayId = await openConversation(client, org.accountId, {
      inbox_id: inboxId,
      contact_id: contactId,
    });
    await client.post(`${base}/${displayId}/assignments`, { assignee_id: agent.userId });
    await client.post(`${base}/${displayId}/messages`, {
      content: 'Looking',
      message_type: 'outgoing',
      private: true,
    });
    await client.post(`${base}/${displayId}/messages`, { content: 'Hello!', message_type: 'outgoing' });
    await client.post(`${base}/${displayId}/messages`, {
      content: 'Anything else?',
      message_type: 'outgoing',
    });
    const resolved = await client.post(`${base}/${displayId}/toggle_status`, { status: 'resolved' });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await app.parley.relay.drain();
  }, 180_000);
  afterAll(() => app.close());

  it('counts the conversation created, assigned, answered once and closed today', async () => {
    expect(await count('created_conversations')).toBe(1);
    expect(await count('assigned_conversations')).toBe(1);
    expect(await count('first_response_time')).toBe(1);
    expect(await count('closed_conversations')).toBe(1);
    expect(await count('handling_time')).toBe(1);
  });

  it('records who closed it', async () => {
    const response = await org.call('POST', '/v1/analytics/records', {
      id: 'closed_conversations',
      periodFilter: today,
      timezone: 'UTC',
    });
    const records = response.json<{ data: { fields: { name: string; field?: { value: unknown } }[] }[] }>()
      .data;
    expect(records).toHaveLength(1);
    const fields = Object.fromEntries(
      records[0]?.fields.map((field) => [field.name, field.field?.value]) ?? [],
    );
    expect(fields).toMatchObject({
      agent_id: agentUuid,
      channel: 'WIDGET_CHAT',
      initial_direction: 'INBOUND',
    });
  });
});
