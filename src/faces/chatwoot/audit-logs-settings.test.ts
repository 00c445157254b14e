import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { seedUser } from './admin-test-kit.js';

interface AuditLog {
  auditable_id: number;
  auditable_type: string;
  action: string;
  user_id: number | null;
  audited_changes: Record<string, unknown>;
}

interface EventJson {
  type: string;
  payload: Record<string, unknown>;
}

/** Settings an administrator changes through the API are audited like the rest (issue 12, audit logs). */
describe(`Chatwoot audit logs: webhooks, custom attribute definitions and tags (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let accountId: number;
  let otherAccountId: number;
  let adminToken: string;
  let adminUserId: number;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    ({ accountId } = await seedAccount(app, 'Acme'));
    ({ accountId: otherAccountId } = await seedAccount(app, 'Globex'));
    ({ token: adminToken, userId: adminUserId } = await seedUser(app, {
      accountId,
      role: 'administrator',
      email: 'boss@acme.test',
    }));
  });
  afterAll(async () => {
    await app.close();
  });

  function asAdmin(options: InjectOptions & { url: string }) {
    return inject({
      ...options,
      url: `/chatwoot/api/v1/accounts/${accountId}${options.url}`,
      headers: { api_access_token: adminToken, ...options.headers },
    });
  }

  async function logsOf(type: string, id: number): Promise<AuditLog[]> {
    await app.parley.relay.drain();
    const response = await asAdmin({ method: 'GET', url: '/audit_logs' });
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json<{ audit_logs: AuditLog[] }>()
      .audit_logs.filter((log) => log.auditable_type === type && log.auditable_id === id);
  }

  it('logs a webhook created, updated and deleted by its administrator, without its secret', async () => {
    const created = await asAdmin({
      method: 'POST',
      url: '/webhooks',
      payload: { url: 'https://hooks.acme.test/a', subscriptions: ['message_created'] },
    });
    expect(created.statusCode, created.body).toBe(200);
    const webhook = created.json<{ id: number; secret: string }>();
    const updated = await asAdmin({
      method: 'PATCH',
      url: `/webhooks/${webhook.id}`,
      payload: { url: 'https://hooks.acme.test/b', subscriptions: ['message_created'] },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const deleted = await asAdmin({ method: 'DELETE', url: `/webhooks/${webhook.id}` });
    expect(deleted.statusCode, deleted.body).toBe(200);

    const logs = await logsOf('Webhook', webhook.id);
    expect(logs.map((log) => log.action).sort()).toEqual(['create', 'destroy', 'update']);
    expect(logs.every((log) => log.user_id === adminUserId)).toBe(true);
    const update = logs.find((log) => log.action === 'update');
    expect(update?.audited_changes).toMatchObject({
      url: ['https://hooks.acme.test/a', 'https://hooks.acme.test/b'],
    });
    expect(JSON.stringify(logs)).not.toContain(webhook.secret);
  });

  it('logs custom attribute definitions, and announces them as events', async () => {
    const created = await asAdmin({
      method: 'POST',
      url: '/custom_attribute_definitions',
      payload: {
        attribute_display_name: 'Plan',
        attribute_key: 'plan',
        attribute_display_type: 0,
        attribute_model: 1,
      },
    });
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json<{ id: number }>().id;
    const renamed = await asAdmin({
      method: 'PATCH',
      url: `/custom_attribute_definitions/${id}`,
      payload: { attribute_display_name: 'Pricing plan' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await asAdmin({ method: 'DELETE', url: `/custom_attribute_definitions/${id}` })).statusCode).toBe(
      200,
    );

    const logs = await logsOf('CustomAttributeDefinition', id);
    expect(logs.map((log) => log.action).sort()).toEqual(['create', 'destroy', 'update']);
    expect(logs.find((log) => log.action === 'update')?.audited_changes).toMatchObject({
      attribute_display_name: ['Plan', 'Pricing plan'],
    });

    const events = await inject({
      method: 'GET',
      url: `/api/v1/accounts/${accountId}/events?limit=200`,
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(events.statusCode, events.body).toBe(200);
    const types = events
      .json<{ data: EventJson[] }>()
      .data.filter(
        (event) => event.type.startsWith('custom_attribute_definition.') && event.payload.id === id,
      )
      .map((event) => event.type);
    expect(types.sort()).toEqual([
      'custom_attribute_definition.created',
      'custom_attribute_definition.deleted',
      'custom_attribute_definition.updated',
    ]);
  });

  it('logs a Dixa tag created and deactivated; setting the same state again logs nothing', async () => {
    const dixa = (options: InjectOptions & { url: string }) =>
      inject({ ...options, url: `/dixa${options.url}`, headers: { authorization: adminToken } });
    // The administrator belongs to one account, so the Dixa face knows which one.
    const created = await dixa({ method: 'POST', url: '/v1/tags', payload: { name: 'VIP' } });
    expect(created.statusCode, created.body).toBe(201);
    const tagId = created.json<{ data: { id: string } }>().data.id;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const deactivated = await dixa({ method: 'PATCH', url: `/v1/tags/${tagId}/deactivate` });
      expect(deactivated.statusCode, deactivated.body).toBe(204);
    }

    await app.parley.relay.drain();
    const response = await asAdmin({ method: 'GET', url: '/audit_logs' });
    const labelLogs = response
      .json<{ audit_logs: AuditLog[] }>()
      .audit_logs.filter((log) => log.auditable_type === 'Label');
    expect(labelLogs.map((log) => log.action).sort()).toEqual(['create', 'update']);
    expect(labelLogs.find((log) => log.action === 'update')?.audited_changes).toMatchObject({
      state: ['active', 'inactive'],
    });
  });

  it("never shows one account's settings changes to another", async () => {
    const other = await seedUser(app, {
      accountId: otherAccountId,
      role: 'administrator',
      email: 'boss@globex.test',
    });
    await app.parley.relay.drain();
    const response = await inject({
      method: 'GET',
      url: `/chatwoot/api/v1/accounts/${otherAccountId}/audit_logs`,
      headers: { api_access_token: other.token },
    });
    expect(response.statusCode, response.body).toBe(200);
    const types = response.json<{ audit_logs: AuditLog[] }>().audit_logs.map((log) => log.auditable_type);
    expect(types).not.toContain('Webhook');
    expect(types).not.toContain('CustomAttributeDefinition');
    expect(types).not.toContain('Label');
  });
});
