import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import { createApiKey } from '../../core/identity/api-keys.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { sipSubscribers } from '../../core/sip/sip.tables.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';

interface CallrSipSubscriber {
  cli: string;
  codecs: string[];
  domain: string;
  id: number;
  password: string;
  privacy: string;
  ring_timeout: number;
  srtp: boolean;
  username: string;
  vms: Record<string, unknown>;
}

interface SearchResults<T> {
  has_more: boolean;
  hits: T[];
  offset: number;
  total: number;
}

describe(`CALLR SIP subscribers and trunks (${backendName})`, () => {
  let app: TestApp;
  let inject: Inject;
  let account: CallrTestAccount;
  let other: CallrTestAccount;

  beforeAll(async () => {
    const kit = await createCallrTestApp();
    ({ app, inject } = kit);
    account = await kit.account('Sip owner');
    other = await kit.account('Sip other');
    await app.parley.ctx.db.insert(phoneNumbers).values([
      {
        number: '+33159000001',
        countryCode: 'FR',
        localPrefix: '01',
        type: 'GEOGRAPHIC',
        state: 'active',
        accountId: account.accountId,
      },
      {
        number: '+33159000002',
        countryCode: 'FR',
        localPrefix: '01',
        type: 'GEOGRAPHIC',
        state: 'active',
        accountId: other.accountId,
      },
      { number: '+33159000003', countryCode: 'FR', localPrefix: '01', type: 'GEOGRAPHIC' },
    ]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('sip/subscriber', () => {
    it('creates with the seed defaults: generated username and password, the account domain, BLOCKED cli', async () => {
      const created = await account.result<CallrSipSubscriber>('sip/subscriber.create', [null, null]);
      expect(created).toEqual({
        cli: 'BLOCKED',
        codecs: [],
        domain: `${encodeHash('account', account.accountId).toLowerCase()}.sip.localhost`,
        id: expect.any(Number) as number,
        password: expect.stringMatching(/^[A-Za-z2-9]{16}$/) as string,
        privacy: 'full',
        ring_timeout: 30,
        srtp: false,
        username: expect.stringMatching(/^sip\d{7}$/) as string,
        vms: {},
      });
      // The password is stored sealed, never in clear.
      const [row] = await app.parley.ctx.db
        .select({ sealed: sipSubscribers.passwordCiphertext })
        .from(sipSubscribers)
        .where(eq(sipSubscribers.id, created.id));
      expect(row?.sealed).toMatch(/^v1:/);
      expect(row?.sealed).not.toContain(created.password);
      expect(await account.result('sip/subscriber.get', [created.id])).toEqual(created);
    });

    it('creates with properties and a voicemail, normalized like an app voicemail', async () => {
      const created = await account.result<CallrSipSubscriber>('sip/subscriber.create', [
        {
          cli: '+33159000001',
          codecs: ['OPUS', 'PCMA'],
          privacy: 'off',
          ring_timeout: 45,
          srtp: true,
          username: 'Reception',
        },
        { vms: { active: true, emails: ['vm@acme.test'], timeout: 60 } },
      ]);
      expect(created).toMatchObject({
        cli: '+33159000001',
        codecs: ['OPUS', 'PCMA'],
        privacy: 'off',
        ring_timeout: 45,
        srtp: true,
        username: 'reception',
      });
      expect(created.vms).toMatchObject({
        active: true,
        emails: ['vm@acme.test'],
        timeout: 60,
        file_format: 'wav',
      });
    });

    it('refuses bad properties naming the param, a foreign or unknown CLI and a taken username', async () => {
      const cases: [unknown[], RegExp][] = [
        [[{ ring_timeout: 4 }, null], /'properties'.*ring_timeout.*between 5 and 120/],
        [[{ ring_timeout: 121 }, null], /ring_timeout/],
        [[{ codecs: ['G711'] }, null], /codecs/],
        [[{ codecs: ['OPUS', 'OPUS'] }, null], /twice/],
        [[{ privacy: 'partial' }, null], /privacy/],
        [[{ username: 'a b' }, null], /username/],
        [[{ cli: '0159000001' }, null], /cli/],
        [[null, { vms: { timeout: 10 } }], /'options'.*vms\.timeout/],
        [[{ password: 'mine' }, null], /password/],
      ];
      for (const [params, message] of cases) {
        const error = await account.error('sip/subscriber.create', params);
        expect(error.code, JSON.stringify(params)).toBe(-32602);
        expect(error.message).toMatch(message);
      }
      for (const cli of ['+33159000002', '+33159000003', '+33159009999']) {
        const error = await account.error('sip/subscriber.create', [{ cli }, null]);
        expect(error.code, cli).toBe(-32602);
        expect(error.message).toMatch(/not a number of this account/);
      }
      const taken = await account.error('sip/subscriber.create', [{ username: 'reception' }, null]);
      expect(taken.code).toBe(-32009);
      // Another account may use the same username: usernames are per domain.
      await other.result('sip/subscriber.create', [{ username: 'reception' }, null]);
    });

    it('edits the given fields only, and refuses a username taken in the account', async () => {
      const created = await account.result<CallrSipSubscriber>('sip/subscriber.create', [
        { username: 'desk-2', codecs: ['PCMU'] },
        null,
      ]);
      const edited = await account.result<CallrSipSubscriber>('sip/subscriber.edit', [
        created.id,
        { ring_timeout: 90, cli: '+33159000001' },
        null,
      ]);
      expect(edited).toEqual({ ...created, ring_timeout: 90, cli: '+33159000001' });
      expect(
        (await account.error('sip/subscriber.edit', [created.id, { username: 'reception' }, null])).code,
      ).toBe(-32009);
      const reset = await account.result<CallrSipSubscriber>('sip/subscriber.reset_password', [created.id]);
      expect(reset.password).not.toBe(created.password);
      expect((await account.result<CallrSipSubscriber>('sip/subscriber.get', [created.id])).password).toBe(
        reset.password,
      );
    });

    it('lists with filters and paging, one query per page', async () => {
      const all = await account.result<SearchResults<CallrSipSubscriber>>('sip/subscriber.get_list', [
        null,
        { order: 'username' },
      ]);
      expect(all.total).toBe(3);
      expect(all.hits.map((hit) => hit.username)).toEqual([...all.hits.map((hit) => hit.username)].sort());
      expect(all.hits.every((hit) => hit.password.length === 16)).toBe(true);

      const page = await account.result<SearchResults<CallrSipSubscriber>>('sip/subscriber.get_list', [
        null,
        { offset: 1, quantity: 1, order: '-id' },
      ]);
      expect(page).toMatchObject({ has_more: true, offset: 1, total: 3 });
      expect(page.hits).toHaveLength(1);

      const byName = await account.result<SearchResults<CallrSipSubscriber>>('sip/subscriber.get_list', [
        { username: 'RECEPTION' },
        null,
      ]);
      expect(byName.hits.map((hit) => hit.username)).toEqual(['reception']);
      const domain = `${encodeHash('account', account.accountId).toLowerCase()}.sip.localhost`;
      const inDomain = await account.result<SearchResults<unknown>>('sip/subscriber.get_list', [
        { domain },
        null,
      ]);
      expect(inDomain.total).toBe(3);
      const otherDomain = await account.result<SearchResults<unknown>>('sip/subscriber.get_list', [
        { domain: 'elsewhere.sip.localhost' },
        null,
      ]);
      expect(otherDomain).toEqual({ has_more: false, hits: [], offset: 0, total: 0 });
      expect((await account.error('sip/subscriber.get_list', [null, { quantity: 0 }])).code).toBe(-32602);
    });

    it("answers not found for another account's subscriber, and deletes", async () => {
      const mine = await account.result<CallrSipSubscriber>('sip/subscriber.create', [
        { username: 'to-delete' },
        null,
      ]);
      for (const method of ['sip/subscriber.get', 'sip/subscriber.delete', 'sip/subscriber.reset_password']) {
        expect((await other.error(method, [mine.id])).code, method).toBe(-32004);
      }
      expect((await other.error('sip/subscriber.edit', [mine.id, { srtp: true }, null])).code).toBe(-32004);
      expect(await account.result('sip/subscriber.get', [mine.id])).toEqual(mine);

      expect(await account.result('sip/subscriber.delete', [String(mine.id)])).toBe(true);
      expect((await account.error('sip/subscriber.get', [mine.id])).code).toBe(-32004);
      expect((await account.error('sip/subscriber.delete', [mine.id])).code).toBe(-32004);
      expect((await account.error('sip/subscriber.get', ['abc'])).code).toBe(-32602);
    });

    it('is for administrators only (it shows passwords)', async () => {
      const { token } = await createApiKey(
        app.parley.ctx.db,
        { accountId: account.accountId, name: 'agent', role: 'agent' },
        { type: 'platform' },
      );
      const answer = await postRpc(inject, 'sip/subscriber.get_list', [null, null], {
        authorization: `Api-Key ${token}`,
      });
      expect(answer.error?.code).toBe(-32003);
    });
  });

  describe('sip/trunk_origination and sip/trunk_termination', () => {
    it('stores each kind of trunk as configuration, shown as {id}', async () => {
      const origination = await account.result<{ id: number }>('sip/trunk_origination.create', [
        { host: 'pbx.acme.test', port: 5060 },
        null,
      ]);
      expect(origination).toEqual({ id: expect.any(Number) as number });
      const termination = await account.result<{ id: number }>('sip/trunk_termination.create', [{}, {}]);
      expect(Object.keys(termination)).toEqual(['id']);

      expect(await account.result('sip/trunk_origination.get', [origination.id])).toEqual(origination);
      // Kinds are apart: an origination id is no termination.
      expect((await account.error('sip/trunk_termination.get', [origination.id])).code).toBe(-32004);

      expect(
        await account.result('sip/trunk_origination.edit', [
          origination.id,
          { host: 'pbx2.acme.test' },
          null,
        ]),
      ).toEqual(origination);
      const list = await account.result<SearchResults<{ id: number }>>('sip/trunk_origination.get_list', [
        null,
        null,
      ]);
      expect(list).toEqual({ has_more: false, hits: [origination], offset: 0, total: 1 });

      expect((await other.error('sip/trunk_origination.get', [origination.id])).code).toBe(-32004);
      expect((await other.error('sip/trunk_origination.delete', [origination.id])).code).toBe(-32004);
      const otherList = await other.result<SearchResults<unknown>>('sip/trunk_origination.get_list', [
        null,
        null,
      ]);
      expect(otherList.total).toBe(0);

      expect(await account.result('sip/trunk_termination.delete', [termination.id])).toBe(true);
      expect((await account.error('sip/trunk_termination.get', [termination.id])).code).toBe(-32004);
      expect((await account.error('sip/trunk_origination.create', ['not an object', null])).code).toBe(
        -32602,
      );
    });
  });
});
