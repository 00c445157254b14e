import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PLATFORM_TOKEN } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { findUserByEmail, updateUser } from '../../core/identity/users.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import { CALLR_RPC_PATH } from './index.js';
import type { TestApp } from '../../testing/app.js';

const basic = (login: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`,
});

describe(`CALLR JSON-RPC transport (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let account: CallrTestAccount;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    account = await kit.account('Transport');
    const added = await inject({
      method: 'POST',
      url: `/api/v1/accounts/${account.accountId}/members`,
      headers: bearer(TEST_PLATFORM_TOKEN),
      payload: {
        email: 'rpc@acme.test',
        name: 'Rpc User',
        password: 'rpc-password-1',
        role: 'administrator',
      },
    });
    expect(added.statusCode, added.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a method with HTTP 200, its result and the request id, for application/json-rpc bodies', async () => {
    const answer = await account.rpc<number>('system.get_timestamp');
    expect(answer.jsonrpc).toBe('2.0');
    expect(answer.error).toBeUndefined();
    expect(Math.abs(answer.result! - Date.now() / 1000)).toBeLessThan(60);
  });

  it('authenticates Basic login:password, Basic login:api-key and Api-Key, and refuses the rest', async () => {
    const viaPassword = await postRpc<number>(
      inject,
      'system.get_timestamp',
      [],
      basic('rpc@acme.test', 'rpc-password-1'),
    );
    const viaKey = await postRpc<number>(inject, 'system.get_timestamp', [], basic('anyone', account.apiKey));
    const wrong = await postRpc(inject, 'system.get_timestamp', [], basic('rpc@acme.test', 'wrong-password'));
    const none = await postRpc(inject, 'system.get_timestamp', []);

    expect(typeof viaPassword.result).toBe('number');
    expect(typeof viaKey.result).toBe('number');
    expect(wrong.error).toMatchObject({ code: -32001 });
    expect(none.error?.code).toBe(-32001);
    expect(none.error?.message).toMatch(/Basic/);
  });

  it('stops accepting a password as soon as it is changed, though the right one was just remembered', async () => {
    const user = await findUserByEmail(app.parley.ctx.db, 'rpc@acme.test');
    const before = await postRpc(
      inject,
      'system.get_timestamp',
      [],
      basic('rpc@acme.test', 'rpc-password-1'),
    );
    await updateUser(app.parley.ctx.db, user!.id, { password: 'rpc-password-2' });
    const old = await postRpc(inject, 'system.get_timestamp', [], basic('rpc@acme.test', 'rpc-password-1'));
    const fresh = await postRpc(inject, 'system.get_timestamp', [], basic('rpc@acme.test', 'rpc-password-2'));
    await updateUser(app.parley.ctx.db, user!.id, { password: 'rpc-password-1' });

    expect(typeof before.result).toBe('number');
    expect(old.error?.code).toBe(-32001);
    expect(typeof fresh.result).toBe('number');
  });

  it('answers parse errors, unknown methods and bad params as JSON-RPC errors with HTTP 200', async () => {
    const garbled = await inject({
      method: 'POST',
      url: CALLR_RPC_PATH,
      headers: {
        'content-type': 'application/json-rpc; charset=utf-8',
        authorization: `Api-Key ${account.apiKey}`,
      },
      payload: '{"id": 1, "method": ',
    });
    const unknown = await account.rpc('nothing.here', []);
    const extra = await account.rpc('system.get_timestamp', ['surplus']);
    const notRequest = await account.rpc('', []);

    expect(garbled.statusCode).toBe(200);
    expect(garbled.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect(unknown.error).toMatchObject({ code: -32601, message: 'Method not found: nothing.here' });
    expect(extra.error?.code).toBe(-32602);
    expect(notRequest.error?.code).toBe(-32600);
  });

  it('answers a batch in order, one authentication for all', async () => {
    const response = await inject({
      method: 'POST',
      url: CALLR_RPC_PATH,
      headers: { 'content-type': 'application/json', authorization: `Api-Key ${account.apiKey}` },
      payload: JSON.stringify([
        { jsonrpc: '2.0', id: 'a', method: 'system.get_timestamp', params: [] },
        { jsonrpc: '2.0', id: 'b', method: 'missing.method', params: [] },
      ]),
    });
    const answers = response.json<{ id: string; result?: number; error?: { code: number } }[]>();
    expect(answers.map((answer) => answer.id)).toEqual(['a', 'b']);
    expect(typeof answers[0]!.result).toBe('number');
    expect(answers[1]!.error?.code).toBe(-32601);
  });

  it('refuses GET on the endpoint and unknown paths, in JSON-RPC form', async () => {
    const get = await inject({ method: 'GET', url: CALLR_RPC_PATH });
    const elsewhere = await inject({ method: 'POST', url: '/callr/json-rpc/v9/', payload: '{}' });
    expect(get.statusCode).toBe(405);
    expect(get.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600 } });
  });
});
