import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { CallrApp } from './app.map.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import type { CallrDid } from './did.map.js';
import { encodeHash } from './hash-ids.js';
import { createCallrSdkClient, type CallrSdkClient } from './sdk-client.js';

/** A CALLR customer's voice-app workflow, through the official Node SDK on a real port. */
describe(`apps.* through the CALLR SDK (${backendName})`, () => {
  let app: TestApp;
  let account: CallrTestAccount;
  let client: CallrSdkClient;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    app = kit.app;
    account = await kit.account('Apps Sdk');
    const baseUrl = await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    client = createCallrSdkClient(baseUrl, 'apps-sdk', account.apiKey);
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a REALTIME10 app, routes a DID to it and reads it back', async () => {
    const [number] = await app.parley.ctx.db
      .insert(phoneNumbers)
      .values({
        number: '+33178900001',
        countryCode: 'FR',
        localPrefix: '01',
        type: 'GEOGRAPHIC',
        state: 'active',
        accountId: account.accountId,
      })
      .returning();
    const didHash = encodeHash('did', number?.id ?? 0);

    const created = await client.call<CallrApp>('apps.create', 'REALTIME10', 'SDK app', {
      url: 'https://example.test/callr',
    });
    expect(created.package).toEqual({ has_did: true, name: 'REALTIME10', type: 'REALTIME' });
    expect(created.p).toEqual({
      data_format: 'JSON',
      login: '',
      password: '',
      url: 'https://example.test/callr',
    });

    const free = await client.call<CallrDid[]>('apps.get_dids', true);
    expect(free.map((did) => did.hash)).toEqual([didHash]);
    await client.call('apps.assign_did', created.hash, didHash);

    const apps = await client.call<CallrApp[]>('apps.get_list', true);
    expect(apps).toHaveLength(1);
    expect(apps[0]?.did).toEqual([
      expect.objectContaining({ app: created.hash, hash: didHash, intl_number: '+33178900001' }),
    ]);
    expect(await client.call<CallrDid[]>('apps.get_dids', true)).toEqual([]);
    expect(await client.call('apps.get_authorized_clis', 'VOICE')).toEqual([]);
    expect(await client.call('apps.delete', created.hash)).toBe(true);
  });

  it('reports invalid options and unknown apps through the SDK error callback', async () => {
    await expect(
      client.call('apps.create', 'REALTIME10', 'Bad', { url: 'mailto:me@x.test' }),
    ).rejects.toMatchObject({
      code: -32602,
    });
    await expect(client.call('apps.get', 'ABCDEF01')).rejects.toMatchObject({ code: -32004 });
  });
});
