import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createApiKey } from '../../core/identity/api-keys.js';
import { subAccountStateOf } from '../../core/sub-accounts/sub-accounts.js';
import { subAccounts } from '../../core/sub-accounts/sub-accounts.tables.js';
import { eq } from 'drizzle-orm';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';
import { parseLoginAs } from './login-as.js';
import { createCallrSdkClient } from './sdk-client.js';

const basic = (login: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`,
});

interface SearchResults<T> {
  has_more: boolean;
  hits: T[];
  offset: number;
  total: number;
}

function properties(email: string) {
  return { account: { company: email.split('@')[0] }, contact: { emails: [email] } };
}

describe(`CALLR-Login-As (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let parent: CallrTestAccount;
  let otherParent: CallrTestAccount;
  let adaPassword: string;

  const childAccountId = async (login: string) => {
    const [row] = await app.parley.ctx.db
      .select({ accountId: subAccounts.accountId })
      .from(subAccounts)
      .where(eq(subAccounts.login, login));
    if (!row) throw new Error(`no sub-account ${login}`);
    return row.accountId;
  };

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    parent = await kit.account('Reseller');
    otherParent = await kit.account('Other reseller');
    const ada = await parent.result<{ credentials: { password: string } }>('subaccount.create', [
      properties('ada@acme-retail.test'),
      null,
    ]);
    adaPassword = ada.credentials.password;
    await parent.result('subaccount.create', [properties('manual@acme-retail.test'), null]);
    await parent.result('subaccount.create', [properties('state@acme-retail.test'), null]);
    await parent.result('subaccount.archive', ['state@acme-retail.test']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('parses the two header forms, and nothing else', () => {
    expect(parseLoginAs('user.login ada@acme-retail.test')).toEqual({ login: 'ada@acme-retail.test' });
    expect(parseLoginAs(`  ACCOUNT.HASH ${encodeHash('account', 42)} `)).toEqual({ accountId: 42 });
    expect(() => parseLoginAs('ada@acme-retail.test')).toThrow(/user\.login/);
  });

  it('acts as one of its own sub-accounts, by user.login or account.hash', async () => {
    const asChild = basic('ada@acme-retail.test', adaPassword);
    const byChild = await postRpc(
      inject,
      'sip/subscriber.create',
      [{ username: 'front-desk' }, null],
      asChild,
    );
    expect(byChild.error).toBeUndefined();

    const byLogin = { 'CALLR-Login-As': 'user.login ADA@acme-retail.test' };
    const created = await parent.result<{ id: number; username: string }>(
      'sip/subscriber.create',
      [{ username: 'made-by-parent' }, null],
      byLogin,
    );
    expect(created.username).toBe('made-by-parent');

    const hash = encodeHash('account', await childAccountId('ada@acme-retail.test'));
    const seen = await parent.result<SearchResults<{ username: string }>>(
      'sip/subscriber.get_list',
      [null, { order: 'username' }],
      { 'CALLR-Login-As': `account.hash ${hash}` },
    );
    expect(seen.hits.map((hit) => hit.username)).toEqual(['front-desk', 'made-by-parent']);
    // The child's own administrator sees what the parent made in its name.
    const childSees = await postRpc<SearchResults<unknown>>(
      inject,
      'sip/subscriber.get_list',
      [null, null],
      asChild,
    );
    expect(childSees.result?.total).toBe(2);
    // Without the header, the parent is in its own account.
    const own = await parent.result<SearchResults<unknown>>('sip/subscriber.get_list', [null, null]);
    expect(own.total).toBe(0);
    // Acting as the child, there are no sub-accounts below it (one level only).
    const nested = await parent.result<SearchResults<unknown>>('subaccount.get_list', [null, null], byLogin);
    expect(nested.total).toBe(0);
  });

  it("refuses another parent's sub-account, an unknown one, the parent itself and an archived one as not found", async () => {
    const hash = encodeHash('account', await childAccountId('ada@acme-retail.test'));
    for (const header of [
      'user.login ada@acme-retail.test',
      `account.hash ${hash}`,
      'user.login nobody@acme-retail.test',
      `account.hash ${encodeHash('account', parent.accountId)}`,
      `account.hash ${encodeHash('account', otherParent.accountId)}`,
    ]) {
      const answer = await otherParent.rpc('system.get_timestamp', [], { 'CALLR-Login-As': header });
      expect(answer.error?.code, header).toBe(-32004);
    }
    const archived = await parent.rpc('system.get_timestamp', [], {
      'CALLR-Login-As': 'user.login state@acme-retail.test',
    });
    expect(archived.error?.code).toBe(-32004);
    // A child cannot reach its sibling through the header either.
    const sibling = await postRpc(inject, 'system.get_timestamp', [], {
      ...basic('ada@acme-retail.test', adaPassword),
      'CALLR-Login-As': 'user.login manual@acme-retail.test',
    });
    expect(sibling.error?.code).toBe(-32004);
  });

  it('works through the official SDK: subaccount.* as the parent, then setLoginAs for user and account', async () => {
    const baseUrl = await app.parley.server.listen({ port: 0, host: '127.0.0.1' });
    const sdk = createCallrSdkClient(baseUrl, 'reseller', parent.apiKey);
    const created = await sdk.call<{ credentials: { login: string; password: string } }>(
      'subaccount.create',
      properties('sdk@acme-retail.test'),
      null,
    );
    expect(created.credentials.login).toBe('sdk@acme-retail.test');

    sdk.loginAs('user', 'sdk@acme-retail.test');
    const subscriber = await sdk.call<{ username: string }>(
      'sip/subscriber.create',
      { username: 'via-sdk' },
      null,
    );
    expect(subscriber.username).toBe('via-sdk');
    sdk.loginAs('account', encodeHash('account', await childAccountId('sdk@acme-retail.test')));
    const list = await sdk.call<SearchResults<{ username: string }>>('sip/subscriber.get_list', null, null);
    expect(list.hits.map((hit) => hit.username)).toEqual(['via-sdk']);

    // The sub-account's own credentials, as its customer would use them.
    const own = createCallrSdkClient(baseUrl, created.credentials.login, created.credentials.password);
    const ownList = await own.call<SearchResults<{ username: string }>>(
      'sip/subscriber.get_list',
      null,
      null,
    );
    expect(ownList.hits.map((hit) => hit.username)).toEqual(['via-sdk']);
  });

  it('refuses a disabled sub-account, an agent caller and a malformed header', async () => {
    await parent.result('subaccount.disable', ['manual@acme-retail.test']);
    expect(
      (await subAccountStateOf(app.parley.ctx.db, await childAccountId('manual@acme-retail.test')))?.disabled,
    ).toBe(true);
    const disabled = await parent.rpc('system.get_timestamp', [], {
      'CALLR-Login-As': 'user.login manual@acme-retail.test',
    });
    expect(disabled.error?.code).toBe(-32003);
    await parent.result('subaccount.enable', ['manual@acme-retail.test']);
    const enabled = await parent.rpc('system.get_timestamp', [], {
      'CALLR-Login-As': 'user.login manual@acme-retail.test',
    });
    expect(enabled.error).toBeUndefined();

    const { token } = await createApiKey(
      app.parley.ctx.db,
      { accountId: parent.accountId, name: 'agent key', role: 'agent' },
      { type: 'platform' },
    );
    const asAgent = await postRpc(inject, 'system.get_timestamp', [], {
      authorization: `Api-Key ${token}`,
      'CALLR-Login-As': 'user.login ada@acme-retail.test',
    });
    expect(asAgent.error?.code).toBe(-32003);
    // An agent cannot manage sub-accounts either.
    const agentList = await postRpc(inject, 'subaccount.get_list', [null, null], {
      authorization: `Api-Key ${token}`,
    });
    expect(agentList.error?.code).toBe(-32003);

    for (const header of ['ada@acme-retail.test', 'user.email ada@acme-retail.test', 'user.login']) {
      const malformed = await parent.rpc('system.get_timestamp', [], { 'CALLR-Login-As': header });
      expect(malformed.error?.code, header).toBe(-32600);
    }
    expect(
      (await parent.rpc('system.get_timestamp', [], { 'CALLR-Login-As': 'account.hash not-a-hash' })).error
        ?.code,
    ).toBe(-32004);
  });
});
