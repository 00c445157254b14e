import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { CallrSdkError, createCallrSdkClient, type CallrSdkClient } from './sdk-client.js';

/** The official `callr` npm SDK (1.2.0) against a Parley listening on a real port. */
describe(`CALLR face through the official Node SDK (${backendName})`, () => {
  let app: TestApp;
  let account: CallrTestAccount;
  let baseUrl: string;
  let client: CallrSdkClient;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    account = await kit.account('Sdk');
    const added = await kit.inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: {
        email: 'sdk@acme.test',
        name: 'Sdk User',
        password: 'sdk-password-1',
        role: 'administrator',
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    baseUrl = await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    client = createCallrSdkClient(baseUrl, 'sdk@acme.test', 'sdk-password-1');
  });
  afterAll(async () => {
    await app.close();
  });

  it('calls system.get_timestamp with Basic login:password', async () => {
    const timestamp = await client.call<number>('system.get_timestamp');
    expect(Number.isInteger(timestamp)).toBe(true);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
  });

  it('manages credentials: creates an API key and uses it as the SDK password, opens a session', async () => {
    const created = await client.call<{ id: string; key: string; name: string }>(
      'api-key.create',
      'sdk-made',
    );
    expect(created.name).toBe('sdk-made');
    const keyClient = createCallrSdkClient(baseUrl, 'any-login', created.key);
    const keys = await keyClient.call<{ id: string }[]>('api-key.all');
    expect(keys.map((key) => key.id)).toContain(created.id);

    const session = await client.call<{ token: string; refresh_token: string; valid_until: string }>(
      'session.create',
    );
    expect(session.token).toMatch(/^cs_/);
    expect(session.valid_until).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await client.call('session.delete')).toBe(true);
  });

  it('passes positional params as the SDK sends them', async () => {
    expect(await client.call('list.number_infos', '+33678912345')).toMatchObject({
      country_code: 'FR',
      is_valid: true,
    });
    expect(await client.call('billing.get_prepaid_credit')).toMatchObject({
      balance: '0.00',
      currency_code: 'EUR',
    });
  });

  it('surfaces JSON-RPC errors through the SDK error callback with their codes', async () => {
    await expect(client.call('nothing.here')).rejects.toMatchObject({ code: -32601 });
    await expect(client.call('api-key.delete', 'nope')).rejects.toMatchObject({ code: -32602 });
    const wrongPassword = createCallrSdkClient(baseUrl, 'sdk@acme.test', 'wrong-password');
    const error = await wrongPassword.call('system.get_timestamp').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallrSdkError);
    expect(error).toMatchObject({ code: -32001 });
  });
});
