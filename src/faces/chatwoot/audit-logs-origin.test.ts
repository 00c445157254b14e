import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { createTestApp, injector, seedAccount, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { seedUser } from './admin-test-kit.js';

interface AuditLog {
  auditable_id: number;
  auditable_type: string;
  action: string;
  remote_address: string | null;
  request_uuid?: string;
}

// Documentation ranges (RFC 5737): never a real client.
const CLIENT_IP = '203.0.113.7';
const OTHER_CLIENT_IP = '203.0.113.8';
const SPOOFED_IP = '198.51.100.9';

describe(`Chatwoot audit logs: the request behind each change (${backendName})`, () => {
  let app: TestApp;
  let inject: ReturnType<typeof injector>;
  let accountId: number;
  let adminToken: string;
  let adminUserId: number;

  beforeAll(async () => {
    app = await createTestApp();
    inject = injector(app);
    ({ accountId } = await seedAccount(app, 'Acme'));
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

  async function auditLogs(): Promise<AuditLog[]> {
    await app.parley.relay.drain();
    const response = await asAdmin({ method: 'GET', url: '/audit_logs' });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ audit_logs: AuditLog[] }>().audit_logs;
  }

  it("records the client's address and the request id, and ignores X-Forwarded-For (no trustProxy)", async () => {
    const created = await asAdmin({
      method: 'POST',
      url: '/teams',
      payload: { name: 'Sales' },
      remoteAddress: CLIENT_IP,
      headers: { 'x-forwarded-for': SPOOFED_IP },
    });
    expect(created.statusCode, created.body).toBe(200);
    const teamId = created.json<{ id: number }>().id;
    const generatedId = created.headers['x-request-id'];
    expect(generatedId).toMatch(/^[0-9a-f-]{36}$/);

    const renamed = await asAdmin({
      method: 'PATCH',
      url: `/teams/${teamId}`,
      payload: { name: 'Sales EU' },
      remoteAddress: OTHER_CLIENT_IP,
      headers: { 'x-request-id': 'trace-audit-1' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.headers['x-request-id']).toBe('trace-audit-1');

    const logs = await auditLogs();
    const ofTeam = logs.filter((log) => log.auditable_type === 'Team' && log.auditable_id === teamId);
    expect(ofTeam.map((log) => [log.action, log.remote_address, log.request_uuid])).toEqual([
      ['update', OTHER_CLIENT_IP, 'trace-audit-1'],
      ['create', CLIENT_IP, generatedId],
    ]);
  });

  it('leaves both out of changes no request made', async () => {
    const logs = await auditLogs();
    // seedUser adds the administrator as the system, outside any request.
    const membership = logs.find(
      (log) =>
        log.auditable_type === 'AccountUser' && log.auditable_id === adminUserId && log.action === 'create',
    );
    expect(membership).toBeDefined();
    expect(membership!.remote_address).toBeNull();
    expect(membership).not.toHaveProperty('request_uuid');
  });
});
