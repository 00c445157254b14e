import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxes } from '../../core/inboxes/inboxes.tables.js';
import { phoneNumbers, type PhoneNumberRow } from '../../core/numbers/numbers.tables.js';
import { authorizeCli } from '../../core/voice-apps/authorized-clis.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import { bearer, TEST_PLATFORM_TOKEN, type TestApp } from '../../testing/app.js';
import { backendName } from '../../testing/database.js';
import type { Db } from '../../platform/db/database.js';
import type { CallrApp } from './app.map.js';
import { createCallrTestApp, postRpc, type CallrTestAccount, type Inject } from './callr-test-kit.js';
import type { CallrDid } from './did.map.js';
import { decodeHash, encodeHash } from './hash-ids.js';

const datetime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const hash = /^[0-9A-F]{8}$/;

let sequence = 0;

/** An active number of the account, inserted directly as H2's store would leave it. */
async function seedNumber(db: Db, accountId: number, number?: string): Promise<PhoneNumberRow> {
  sequence += 1;
  const [row] = await db
    .insert(phoneNumbers)
    .values({
      number: number ?? `+3319${String(sequence).padStart(7, '0')}`,
      countryCode: 'FR',
      localPrefix: '01',
      areaLabel: 'Paris',
      type: 'GEOGRAPHIC',
      numberClass: 'CLASSIC',
      state: 'active',
      accountId,
      acquiredAt: new Date(),
    })
    .returning();
  if (!row) throw new Error('no number row');
  return row;
}

const didHash = (row: PhoneNumberRow) => encodeHash('did', row.id);

describe(`CALLR apps.* (${backendName})`, () => {
  let kit: Awaited<ReturnType<typeof createCallrTestApp>>;
  let app: TestApp;
  let inject: Inject;
  let db: Db;
  let acme: CallrTestAccount;
  let other: CallrTestAccount;

  beforeAll(async () => {
    kit = await createCallrTestApp();
    ({ app, inject } = kit);
    db = app.parley.ctx.db;
    acme = await kit.account('Acme Apps');
    other = await kit.account('Other Apps');
  });
  afterAll(async () => {
    await app.close();
  });

  const realtime = (name = 'RT', url = 'https://example.test/rt') =>
    acme.result<CallrApp>('apps.create', ['REALTIME10', name, { url, login: 'me', password: 'secret' }]);

  describe('apps.create', () => {
    it('stores a REALTIME10 app with its options and answers the App object', async () => {
      const created = await acme.result<CallrApp>('apps.create', [
        'REALTIME10',
        '  My realtime app ',
        { url: 'https://example.test/hook', login: 'user', password: 'pw' },
      ]);

      expect(created).toEqual({
        date_creation: expect.stringMatching(datetime) as string,
        date_update: expect.stringMatching(datetime) as string,
        did: [],
        hash: expect.stringMatching(hash) as string,
        name: 'My realtime app',
        p: { data_format: 'JSON', login: 'user', password: 'pw', url: 'https://example.test/hook' },
        package: { has_did: true, name: 'REALTIME10', type: 'REALTIME' },
      });
      const id = decodeHash('app', created.hash);
      expect(id).not.toBeNull();
      const [row] = await db
        .select()
        .from(voiceApps)
        .where(eq(voiceApps.id, id ?? 0));
      expect(row).toMatchObject({ accountId: acme.accountId, package: 'REALTIME10', options: created.p });
    });

    it('accepts CLICKTOCALL10 with null options and ACTIONS10 with a script', async () => {
      const clickToCall = await acme.result<CallrApp>('apps.create', ['CLICKTOCALL10', 'C2C', null]);
      expect(clickToCall.package).toEqual({ has_did: false, name: 'CLICKTOCALL10', type: 'CLICKTOCALL' });
      expect(clickToCall.p).toMatchObject({
        medias: { A_ringtone: 0, A_welcome: 0, AB_bridge: 0, B_whisper: 0 },
        options: {
          A_attempts: 1,
          A_retrypause: 30,
          A_vms_detect: { active: false, method: 'SILENCE', silence_ms: 1800, dtmf_iterations: 2 },
          B_vms_detect: { active: false, silence_iterations: 1, silence_timeout: 3 },
          feeds: 'both',
          record_calls: false,
        },
        vms: { active: false },
      });

      const actions = await acme.result<CallrApp>('apps.create', [
        'ACTIONS10',
        'Script',
        { script: '- say: hello\n- hangup' },
      ]);
      expect(actions.p).toEqual({ format: 'YAML', script: '- say: hello\n- hangup' });
      expect(actions.package).toEqual({ has_did: true, name: 'ACTIONS10', type: 'REALTIME' });
    });
  });

  describe('apps.edit / get / delete / get_list', () => {
    it('renames, replaces options, and keeps what is not given', async () => {
      const created = await realtime('Before');
      const renamed = await acme.result<CallrApp>('apps.edit', [created.hash, 'After', null]);
      expect(renamed.name).toBe('After');
      expect(renamed.p).toEqual(created.p);
      const [stored] = await db
        .select()
        .from(voiceApps)
        .where(eq(voiceApps.id, decodeHash('app', created.hash) ?? 0));
      expect(stored?.name).toBe('After');
      expect(stored?.updatedAt.getTime()).toBeGreaterThan(stored?.createdAt.getTime() ?? Infinity);

      const replaced = await acme.result<CallrApp>('apps.edit', [
        created.hash,
        null,
        { url: 'http://example.test/v2' },
      ]);
      expect(replaced.name).toBe('After');
      expect(replaced.p).toEqual({
        data_format: 'JSON',
        login: '',
        password: '',
        url: 'http://example.test/v2',
      });

      const bad = await acme.error('apps.edit', [created.hash, null, { url: 'nope' }]);
      expect(bad.code).toBe(-32602);
      expect(await acme.result<CallrApp>('apps.get', [created.hash])).toEqual(replaced);
    });

    it('validates edited options against the app package', async () => {
      const tracking = await acme.result<CallrApp>('apps.create', ['CALLTRACKING10', 'T', {}]);
      const error = await acme.error('apps.edit', [tracking.hash, null, { url: 'https://a.test' }]);
      expect(error.code).toBe(-32602);
      expect(error.message).toMatch(/url/);
    });

    it('deletes an app, leaving its numbers on the account, unassigned', async () => {
      const created = await realtime('Doomed');
      const number = await seedNumber(db, acme.accountId);
      await acme.result('apps.assign_did', [created.hash, didHash(number)]);

      expect(await acme.result('apps.delete', [created.hash])).toBe(true);
      expect((await acme.error('apps.get', [created.hash])).code).toBe(-32004);
      expect((await acme.error('apps.delete', [created.hash])).code).toBe(-32004);
      const [row] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, number.id));
      expect(row).toMatchObject({ accountId: acme.accountId, state: 'active', voiceAppId: null });
    });

    it('lists the account apps in creation order, with their DIDs only when asked', async () => {
      const solo = await kit.account('Lister');
      {
        const first = await solo.result<CallrApp>('apps.create', [
          'REALTIME10',
          'One',
          { url: 'https://a.test' },
        ]);
        const second = await solo.result<CallrApp>('apps.create', ['CALLTRACKING10', 'Two', null]);
        const number = await seedNumber(db, solo.accountId);
        await solo.result('apps.assign_did', [second.hash, didHash(number)]);

        const bare = await solo.result<CallrApp[]>('apps.get_list', [false]);
        expect(bare.map((entry) => entry.hash)).toEqual([first.hash, second.hash]);
        expect(bare.every((entry) => entry.did.length === 0)).toBe(true);
        expect(await solo.result<CallrApp[]>('apps.get_list', [])).toEqual(bare);

        const full = await solo.result<CallrApp[]>('apps.get_list', [true]);
        expect(full[0]?.did).toEqual([]);
        expect(full[1]?.did.map((did) => did.intl_number)).toEqual([number.number]);
        expect((await solo.error('apps.get_list', ['yes'])).code).toBe(-32602);
      }
    });
  });

  describe('DIDs', () => {
    it('assigns a DID to an app, shows it on both sides, and removes it', async () => {
      const created = await realtime('With DID');
      const number = await seedNumber(db, acme.accountId, '+33142685300');

      const assigned = await acme.result<CallrApp>('apps.assign_did', [created.hash, didHash(number)]);
      const expectedDid: CallrDid = {
        app: created.hash,
        class: 'CLASSIC',
        country_code: 'FR',
        hash: didHash(number),
        intl_number: '+33142685300',
        local_number: '0142685300',
        local_number_f: '01 42 68 53 00',
        type: 'GEOGRAPHIC',
      };
      expect(assigned.did).toEqual([expectedDid]);
      expect((await acme.result<CallrApp>('apps.get', [created.hash])).did).toEqual([expectedDid]);

      const all = await acme.result<CallrDid[]>('apps.get_dids', [false]);
      const free = await acme.result<CallrDid[]>('apps.get_dids', [true]);
      expect(all).toContainEqual(expectedDid);
      expect(free.map((did) => did.hash)).not.toContain(expectedDid.hash);
      expect(free.every((did) => did.app === '')).toBe(true);

      expect(await acme.result('apps.remove_did', [didHash(number)])).toBe(true);
      expect(await acme.result('apps.remove_did', [didHash(number)])).toBe(true);
      expect((await acme.result<CallrApp>('apps.get', [created.hash])).did).toEqual([]);
      const freeAfter = await acme.result<CallrDid[]>('apps.get_dids', [true]);
      expect(freeAfter).toContainEqual({ ...expectedDid, app: '' });
    });

    it('moves a DID from one app to another', async () => {
      const first = await realtime('First');
      const second = await realtime('Second');
      const number = await seedNumber(db, acme.accountId);
      await acme.result('apps.assign_did', [first.hash, didHash(number)]);
      const moved = await acme.result<CallrApp>('apps.assign_did', [second.hash, didHash(number)]);
      expect(moved.did.map((did) => did.hash)).toEqual([didHash(number)]);
      expect((await acme.result<CallrApp>('apps.get', [first.hash])).did).toEqual([]);
    });

    it('refuses DIDs on an inbox, numbers not active, and click-to-call apps', async () => {
      const created = await realtime('Refusals');
      const [inbox] = await db
        .insert(inboxes)
        .values({ accountId: acme.accountId, name: 'SMS', channelType: 'sms', identifier: 'sms-h3-test' })
        .returning();
      const onInbox = await seedNumber(db, acme.accountId);
      await db
        .update(phoneNumbers)
        .set({ inboxId: inbox?.id ?? 0 })
        .where(eq(phoneNumbers.id, onInbox.id));
      const inboxError = await acme.error('apps.assign_did', [created.hash, didHash(onInbox)]);
      expect(inboxError).toMatchObject({ code: -32009, message: expect.stringMatching(/inbox/) as string });

      const [inStore] = await db
        .insert(phoneNumbers)
        .values({ number: '+33199999999', countryCode: 'FR', localPrefix: '01', type: 'GEOGRAPHIC' })
        .returning();
      const storeError = await acme.error('apps.assign_did', [
        created.hash,
        encodeHash('did', inStore?.id ?? 0),
      ]);
      expect(storeError.code).toBe(-32004);

      const clickToCall = await acme.result<CallrApp>('apps.create', ['CLICKTOCALL10', 'No DID', null]);
      const free = await seedNumber(db, acme.accountId);
      const c2cError = await acme.error('apps.assign_did', [clickToCall.hash, didHash(free)]);
      expect(c2cError.code).toBe(-32009);

      expect((await acme.error('apps.assign_did', ['nothash', didHash(free)])).code).toBe(-32004);
      expect((await acme.error('apps.assign_did', [created.hash, 'ZZZ'])).code).toBe(-32004);
      const [row] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, free.id));
      expect(row?.voiceAppId).toBeNull();
    });
  });

  describe('tenancy and roles', () => {
    it("answers not found for another account's apps and DIDs", async () => {
      const mine = await realtime('Mine');
      const myNumber = await seedNumber(db, acme.accountId);
      const theirApp = await other.result<CallrApp>('apps.create', [
        'REALTIME10',
        'Theirs',
        { url: 'https://b.test' },
      ]);
      const theirNumber = await seedNumber(db, other.accountId);

      for (const [method, params] of [
        ['apps.get', [mine.hash]],
        ['apps.edit', [mine.hash, 'stolen', null]],
        ['apps.delete', [mine.hash]],
        ['apps.assign_did', [mine.hash, didHash(theirNumber)]],
        ['apps.assign_did', [theirApp.hash, didHash(myNumber)]],
        ['apps.remove_did', [didHash(myNumber)]],
      ] as const) {
        const error = await other.error(method, [...params]);
        expect(error.code, method).toBe(-32004);
      }
      expect((await acme.result<CallrApp>('apps.get', [mine.hash])).name).toBe('Mine');
      const theirs = await other.result<CallrApp[]>('apps.get_list', [true]);
      expect(theirs.map((entry) => entry.hash)).toEqual([theirApp.hash]);
      const theirDids = await other.result<CallrDid[]>('apps.get_dids', [false]);
      expect(theirDids.map((did) => did.hash)).toEqual([didHash(theirNumber)]);
    });

    it('lets an agent read apps but not change them', async () => {
      const created = await realtime('Guarded');
      const added = await inject({
        method: 'POST',
        url: `/api/v1/accounts/${acme.accountId}/members`,
        headers: bearer(TEST_PLATFORM_TOKEN),
        payload: {
          email: 'agent-apps@acme.test',
          name: 'Agent',
          password: 'agent-password-1',
          role: 'agent',
        },
      });
      expect(added.statusCode, added.body).toBe(201);
      const agent = {
        authorization: `Basic ${Buffer.from('agent-apps@acme.test:agent-password-1').toString('base64')}`,
      };

      const read = await postRpc<CallrApp>(inject, 'apps.get', [created.hash], agent);
      expect(read.result?.hash).toBe(created.hash);
      const write = await postRpc(
        inject,
        'apps.create',
        ['REALTIME10', 'x', { url: 'https://a.test' }],
        agent,
      );
      expect(write.error?.code).toBe(-32003);
      const remove = await postRpc(inject, 'apps.delete', [created.hash], agent);
      expect(remove.error?.code).toBe(-32003);
    });
  });

  describe('apps.get_authorized_clis', () => {
    it('lists the CLIs authorized for the account, by type', async () => {
      await authorizeCli(db, {
        accountId: acme.accountId,
        type: 'VOICE',
        cli: '+33611111111',
        label: 'Desk',
      });
      await authorizeCli(db, { accountId: acme.accountId, type: 'SMS', cli: 'ACME', comment: 'brand' });
      await authorizeCli(db, { accountId: other.accountId, type: 'VOICE', cli: '+33622222222' });

      expect(await acme.result('apps.get_authorized_clis', ['VOICE'])).toEqual([
        { cli: '+33611111111', comment: '', label: 'Desk' },
      ]);
      expect(await acme.result('apps.get_authorized_clis', ['sms'])).toEqual([
        { cli: 'ACME', comment: 'brand', label: '' },
      ]);
      const error = await acme.error('apps.get_authorized_clis', ['FAX']);
      expect(error).toMatchObject({ code: -32602, message: expect.stringMatching(/'type'/) as string });
      expect((await acme.error('apps.get_authorized_clis', [])).code).toBe(-32602);
    });
  });
});
