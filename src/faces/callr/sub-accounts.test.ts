import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { accounts } from '../../core/identity/identity.tables.js';
import { topUpCredit } from '../../core/billing/credit.js';
import { isTrafficAllowed, setSubAccountQuota } from '../../core/sub-accounts/sub-accounts.js';
import { subAccounts } from '../../core/sub-accounts/sub-accounts.tables.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';

const basic = (login: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`,
});

interface CallrSubAccount {
  account: { company: string; firstname: string; lastname: string };
  contact: { addresses: unknown[]; emails: string[]; phones: string[]; tech_emails: string[] };
  credentials: { login: string; password: string };
  params: {
    billing: { addresses: unknown[]; currency_code: string; emails: string[] };
    default: { locale: string; timezone: string };
  };
  state: {
    allow_calls_in: boolean;
    allow_calls_out: boolean;
    allow_sms_in: boolean;
    allow_sms_out: boolean;
    archived: boolean;
    credit: string;
    disabled: boolean;
  };
}

interface SearchResults<T> {
  has_more: boolean;
  hits: T[];
  offset: number;
  total: number;
}

function properties(email: string, company = 'Acme Retail') {
  return {
    account: { company, firstname: 'Ada', lastname: 'Lovelace' },
    contact: {
      addresses: [{ city: 'Paris', country: 'fr', state: '', street: '1 rue de Rivoli', zip: '75001' }],
      emails: [email],
      phones: ['+33678912345'],
      tech_emails: ['tech@acme-retail.test'],
    },
    params: { billing: { addresses: [], emails: ['billing@acme-retail.test'] } },
  };
}

describe(`CALLR sub-accounts (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let parent: CallrTestAccount;
  let otherParent: CallrTestAccount;
  let kit: Awaited<ReturnType<typeof createCallrTestApp>>;

  const childAccountId = async (login: string) => {
    const [row] = await app.parley.ctx.db
      .select({ accountId: subAccounts.accountId })
      .from(subAccounts)
      .where(eq(subAccounts.login, login));
    if (!row) throw new Error(`no sub-account ${login}`);
    return row.accountId;
  };

  beforeAll(async () => {
    kit = await createCallrTestApp();
    ({ app, inject } = kit);
    parent = await kit.account('Reseller');
    otherParent = await kit.account('Other reseller');
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a sub-account: a child account whose administrator signs in with the login and the password shown once', async () => {
    const created = await parent.result<CallrSubAccount>('subaccount.create', [
      properties('Ada@Acme-Retail.test'),
      null,
    ]);
    expect(created).toEqual({
      account: { company: 'Acme Retail', firstname: 'Ada', lastname: 'Lovelace' },
      contact: {
        addresses: [{ city: 'Paris', country: 'FR', state: '', street: '1 rue de Rivoli', zip: '75001' }],
        emails: ['ada@acme-retail.test'],
        phones: ['+33678912345'],
        tech_emails: ['tech@acme-retail.test'],
      },
      credentials: {
        login: 'ada@acme-retail.test',
        password: expect.stringMatching(/^[\w-]{16}$/) as string,
      },
      params: {
        billing: { addresses: [], currency_code: 'EUR', emails: ['billing@acme-retail.test'] },
        default: { locale: 'en_US', timezone: 'UTC' },
      },
      state: {
        allow_calls_in: true,
        allow_calls_out: true,
        allow_sms_in: true,
        allow_sms_out: true,
        archived: false,
        credit: '0.00',
        disabled: false,
      },
    });

    // The child is its own tenant: its administrator works in it, not in the parent.
    const asChild = basic(created.credentials.login, created.credentials.password);
    const sip = await postRpc<{ id: number }>(
      inject,
      'sip/subscriber.create',
      [{ username: 'front-desk' }, null],
      asChild,
    );
    expect(sip.error).toBeUndefined();
    const parentSees = await parent.result<SearchResults<unknown>>('sip/subscriber.get_list', [null, null]);
    expect(parentSees.total).toBe(0);

    // Read back, the password is never shown again.
    const fetched = await parent.result<CallrSubAccount>('subaccount.get', ['ada@acme-retail.test']);
    expect(fetched.credentials).toEqual({ login: 'ada@acme-retail.test', password: '' });
    expect(fetched.contact).toEqual(created.contact);
    // …also by its account hash.
    const hash = encodeHash('account', await childAccountId('ada@acme-retail.test'));
    expect(await parent.result('subaccount.get', [hash])).toEqual(fetched);
  });

  it('takes a MANUAL password and refuses bad properties naming the param', async () => {
    const created = await parent.result<CallrSubAccount>('subaccount.create', [
      properties('manual@acme-retail.test', 'Manual Ltd'),
      { password: { method: 'MANUAL', value: 'correct horse battery' } },
    ]);
    expect(created.credentials.password).toBe('correct horse battery');
    const viaPassword = await postRpc(
      inject,
      'system.get_timestamp',
      [],
      basic('manual@acme-retail.test', 'correct horse battery'),
    );
    expect(typeof viaPassword.result).toBe('number');

    const noValue = await parent.error('subaccount.create', [
      properties('x@acme-retail.test'),
      { password: { method: 'MANUAL' } },
    ]);
    expect(noValue.code).toBe(-32602);
    expect(noValue.message).toMatch(/'options'.*value/);

    const twoEmails = properties('y@acme-retail.test');
    twoEmails.contact.emails.push('z@acme-retail.test');
    const tooMany = await parent.error('subaccount.create', [twoEmails, null]);
    expect(tooMany.code).toBe(-32602);
    expect(tooMany.message).toMatch(/'properties'.*contact\.emails/);

    const badPhone = properties('w@acme-retail.test');
    badPhone.contact.phones = ['0678912345'];
    expect((await parent.error('subaccount.create', [badPhone, null])).message).toMatch(/contact\.phones/);

    const unknownField = await parent.error('subaccount.create', [
      { ...properties('v@acme-retail.test'), credit: 100 },
      null,
    ]);
    expect(unknownField.code).toBe(-32602);

    // Nothing half-made: the refused logins do not exist.
    expect((await parent.error('subaccount.get', ['x@acme-retail.test'])).code).toBe(-32004);
  });

  it('refuses a login that is already taken, without leaving a child account behind', async () => {
    const before = await app.parley.ctx.db.select({ id: accounts.id }).from(accounts);
    const taken = await parent.error('subaccount.create', [properties('ada@acme-retail.test'), null]);
    expect(taken.code).toBe(-32009);
    expect(taken.message).toMatch(/already a login/);
    const after = await app.parley.ctx.db.select({ id: accounts.id }).from(accounts);
    expect(after).toHaveLength(before.length);
  });

  it('edits contact and billing, keeping the login', async () => {
    const edited = await parent.result<CallrSubAccount>('subaccount.edit', [
      'manual@acme-retail.test',
      {
        contact: { emails: ['new-contact@acme-retail.test'], phones: [], addresses: [], tech_emails: [] },
        params: { billing: { emails: ['invoices@acme-retail.test'] } },
      },
      null,
    ]);
    expect(edited.contact).toEqual({
      addresses: [],
      emails: ['new-contact@acme-retail.test'],
      phones: [],
      tech_emails: [],
    });
    expect(edited.params.billing).toEqual({
      addresses: [],
      currency_code: 'EUR',
      emails: ['invoices@acme-retail.test'],
    });
    expect(edited.credentials.login).toBe('manual@acme-retail.test');
    expect(edited.account.company).toBe('Manual Ltd');
  });

  it('edits the traffic flags of its state, which the calls and SMS cores can consult', async () => {
    const edited = await parent.result<CallrSubAccount>('subaccount.edit_state', [
      'manual@acme-retail.test',
      { allow_calls_out: false, allow_sms_out: false },
    ]);
    expect(edited.state).toMatchObject({
      allow_calls_in: true,
      allow_calls_out: false,
      allow_sms_in: true,
      allow_sms_out: false,
    });
    const child = await childAccountId('manual@acme-retail.test');
    expect(await isTrafficAllowed(app.parley.ctx.db, child, 'calls_out')).toBe(false);
    expect(await isTrafficAllowed(app.parley.ctx.db, child, 'calls_in')).toBe(true);
    expect(await isTrafficAllowed(app.parley.ctx.db, parent.accountId, 'calls_out')).toBe(true);
    const restored = await parent.result<CallrSubAccount>('subaccount.edit_state', [
      'manual@acme-retail.test',
      { allow_calls_out: true, allow_sms_out: null },
    ]);
    expect(restored.state).toMatchObject({ allow_calls_out: true, allow_sms_out: false });
    const badFlag = await parent.error('subaccount.edit_state', [
      'manual@acme-retail.test',
      { disabled: false },
    ]);
    expect(badFlag.code).toBe(-32602);
    await parent.result('subaccount.edit_state', ['manual@acme-retail.test', { allow_sms_out: true }]);
  });

  it("shows the child's prepaid credit in its state", async () => {
    await topUpCredit(app.parley.ctx.db, {
      accountId: await childAccountId('ada@acme-retail.test'),
      amountCents: 1234,
      reference: 'test',
    });
    const fetched = await parent.result<CallrSubAccount>('subaccount.get', ['ada@acme-retail.test']);
    expect(fetched.state.credit).toBe('1234.00');
  });

  it('disables, enables and archives: a disabled sub-account cannot sign in, an archived one cannot come back', async () => {
    const created = await parent.result<CallrSubAccount>('subaccount.create', [
      properties('state@acme-retail.test', 'State Co'),
      null,
    ]);
    const asChild = basic('state@acme-retail.test', created.credentials.password);
    expect((await postRpc(inject, 'system.get_timestamp', [], asChild)).error).toBeUndefined();

    expect(await parent.result('subaccount.disable', ['state@acme-retail.test'])).toBe(true);
    const refused = await postRpc(inject, 'system.get_timestamp', [], asChild);
    expect(refused.error?.code).toBe(-32003);
    const disabled = await parent.result<CallrSubAccount>('subaccount.get', ['state@acme-retail.test']);
    expect(disabled.state).toMatchObject({ disabled: true, archived: false });
    const [child] = await app.parley.ctx.db
      .select({ status: accounts.status })
      .from(accounts)
      .where(eq(accounts.id, await childAccountId('state@acme-retail.test')));
    expect(child?.status).toBe('suspended');

    expect(await parent.result('subaccount.enable', ['state@acme-retail.test'])).toBe(true);
    expect((await postRpc(inject, 'system.get_timestamp', [], asChild)).error).toBeUndefined();

    const quotaBefore = await parent.result<{ actual: number; max: number }>('subaccount.get_quota');
    expect(await parent.result('subaccount.archive', ['state@acme-retail.test'])).toBe(true);
    const quotaAfter = await parent.result<{ actual: number; max: number }>('subaccount.get_quota');
    expect(quotaAfter).toEqual({ actual: quotaBefore.actual - 1, max: 20 });
    const archived = await parent.result<CallrSubAccount>('subaccount.get', ['state@acme-retail.test']);
    expect(archived.state).toMatchObject({ disabled: true, archived: true });
    expect((await parent.error('subaccount.enable', ['state@acme-retail.test'])).code).toBe(-32009);
    expect((await postRpc(inject, 'system.get_timestamp', [], asChild)).error?.code).toBe(-32003);
  });

  it('lists with Search.Options paging and the archived filter', async () => {
    const live = await parent.result<SearchResults<CallrSubAccount>>('subaccount.get_list', [
      null,
      { offset: 0, quantity: 1, order: 'login' },
    ]);
    expect(live).toMatchObject({ has_more: true, offset: 0, total: 2 });
    expect(live.hits.map((hit) => hit.credentials.login)).toEqual(['ada@acme-retail.test']);
    const second = await parent.result<SearchResults<CallrSubAccount>>('subaccount.get_list', [
      { archived: false },
      { offset: 1, quantity: 1, order: 'login' },
    ]);
    expect(second).toMatchObject({ has_more: false, offset: 1, total: 2 });
    expect(second.hits.map((hit) => hit.credentials.login)).toEqual(['manual@acme-retail.test']);

    const onlyArchived = await parent.result<SearchResults<CallrSubAccount>>('subaccount.get_list', [
      { archived: true },
      null,
    ]);
    expect(onlyArchived.hits.map((hit) => hit.credentials.login)).toEqual(['state@acme-retail.test']);
    const both = await parent.result<SearchResults<CallrSubAccount>>('subaccount.get_list', [
      { archived: null },
      { order: '-login' },
    ]);
    expect(both.hits.map((hit) => hit.credentials.login)).toEqual([
      'state@acme-retail.test',
      'manual@acme-retail.test',
      'ada@acme-retail.test',
    ]);
    const pastTheEnd = await parent.result<SearchResults<CallrSubAccount>>('subaccount.get_list', [
      null,
      { offset: 10 },
    ]);
    expect(pastTheEnd).toEqual({ has_more: false, hits: [], offset: 10, total: 2 });
    expect((await parent.error('subaccount.get_list', [null, { order: 'credit' }])).code).toBe(-32602);
  });

  it('resets a password: the new one works, the old one does not', async () => {
    const created = await parent.result<CallrSubAccount>('subaccount.create', [
      properties('reset@acme-retail.test', 'Reset Co'),
      null,
    ]);
    const credentials = await parent.result<{ login: string; password: string }>(
      'subaccount.reset_password',
      ['reset@acme-retail.test', null],
    );
    expect(credentials.login).toBe('reset@acme-retail.test');
    expect(credentials.password).not.toBe(created.credentials.password);
    const viaNew = await postRpc(
      inject,
      'system.get_timestamp',
      [],
      basic(credentials.login, credentials.password),
    );
    expect(viaNew.error).toBeUndefined();
    const viaOld = await postRpc(
      inject,
      'system.get_timestamp',
      [],
      basic(credentials.login, created.credentials.password),
    );
    expect(viaOld.error?.code).toBe(-32001);
  });

  it('enforces the quota, counting live sub-accounts only', async () => {
    const small = await kit.account('Small reseller');
    await setSubAccountQuota(app.parley.ctx.db, small.accountId, 1);
    await small.result('subaccount.create', [properties('one@small.test', 'One'), null]);
    expect(await small.result('subaccount.get_quota')).toEqual({ actual: 1, max: 1 });
    const refused = await small.error('subaccount.create', [properties('two@small.test', 'Two'), null]);
    expect(refused.code).toBe(-32009);
    expect(refused.message).toMatch(/quota/);
    await small.result('subaccount.archive', ['one@small.test']);
    await small.result('subaccount.create', [properties('two@small.test', 'Two'), null]);
    expect(await small.result('subaccount.get_quota')).toEqual({ actual: 1, max: 1 });
  });

  it("keeps each parent to its own sub-accounts: another parent's answer not found", async () => {
    const hash = encodeHash('account', await childAccountId('ada@acme-retail.test'));
    for (const ref of ['ada@acme-retail.test', hash]) {
      expect((await otherParent.error('subaccount.get', [ref])).code).toBe(-32004);
      expect((await otherParent.error('subaccount.disable', [ref])).code).toBe(-32004);
      expect(
        (await otherParent.error('subaccount.edit', [ref, { params: { billing: { emails: [] } } }, null]))
          .code,
      ).toBe(-32004);
    }
    const list = await otherParent.result<SearchResults<unknown>>('subaccount.get_list', [
      { archived: null },
      null,
    ]);
    expect(list.total).toBe(0);
    const stillEnabled = await parent.result<CallrSubAccount>('subaccount.get', ['ada@acme-retail.test']);
    expect(stillEnabled.state.disabled).toBe(false);
  });

  it('a sub-account cannot have sub-accounts of its own', async () => {
    const created = await parent.result<CallrSubAccount>('subaccount.create', [
      properties('nested@acme-retail.test', 'Nested'),
      null,
    ]);
    const nested = await postRpc(
      inject,
      'subaccount.create',
      [properties('grandchild@acme-retail.test'), null],
      basic('nested@acme-retail.test', created.credentials.password),
    );
    expect(nested.error?.code).toBe(-32003);
  });
});
