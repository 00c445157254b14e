import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { TestApp } from '../../testing/app.js';
import { waitFor } from '../../testing/wait.js';
import { creditLedger } from '../../core/billing/billing.tables.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { telephonyRuntimeOf } from '../../core/telephony/telephony-runtime.js';
import { voiceApps } from '../../core/voice-apps/voice-apps.tables.js';
import type { CallrRoom, CallrRoomParticipant } from './conference.map.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { decodeHash, encodeHash } from './hash-ids.js';

/**
 * `conference/10.*` through the JSON-RPC endpoint: rooms and their accesses, DIDs assigned to
 * rooms (one number, one target), tenant isolation, and a real call through the carrier
 * simulator that joins the room when answered and leaves it at hangup.
 */

const HASH = /^[0-9A-F]{8}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const INVALID_PARAMS = -32602;
const NOT_FOUND = -32004;
const CONFLICT = -32009;

let app: TestApp;
let acme: CallrTestAccount;
let other: CallrTestAccount;
let sequence = 0;

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  acme = await kit.account('Acme conferences');
  other = await kit.account('Someone else');
  await app.parley.startBackground();
});
afterAll(async () => {
  await app.close();
});

function simulator() {
  const runtime = telephonyRuntimeOf(app.parley.ctx.config);
  if (!runtime) throw new Error('no telephony runtime');
  return runtime.simulator;
}

/** A number the account holds, as its DID hash. */
async function seedDid(accountId: number): Promise<{ id: number; hash: string; number: string }> {
  sequence += 1;
  const [row] = await app.parley.ctx.db
    .insert(phoneNumbers)
    .values({
      number: `+3319800${String(sequence).padStart(4, '0')}`,
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId,
      acquiredAt: new Date(),
    })
    .returning();
  if (!row) throw new Error('no number');
  return { id: row.id, hash: encodeHash('did', row.id), number: row.number };
}

function createRoom(account: CallrTestAccount, name: string, access: unknown[] = [], open = true) {
  return account.result<CallrRoom>('conference/10.create_room', [name, { open }, access]);
}

describe('conference rooms', () => {
  it('creates a room with its accesses in the CALLR shape', async () => {
    const room = await createRoom(acme, 'Weekly', [
      { pin: '4321', level: 'ADMIN', phone_number: '+33123456789' },
      { pin: '1234', level: 'GUEST' },
    ]);

    expect(room).toEqual({
      access: [
        { hash: expect.stringMatching(HASH), level: 'GUEST', phone_number: '', pin: '1234' },
        { hash: expect.stringMatching(HASH), level: 'ADMIN', phone_number: '+33123456789', pin: '4321' },
      ],
      date_creation: expect.stringMatching(DATETIME),
      date_update: expect.stringMatching(DATETIME),
      did: [],
      hash: expect.stringMatching(HASH),
      name: 'Weekly',
      params: { open: true },
    });
    expect(await acme.result('conference/10.get_room', [room.hash])).toEqual(room);
  });

  it('names the param of every bad value', async () => {
    const cases: [unknown[], RegExp][] = [
      [['', { open: true }, []], /'name'/],
      [[42, { open: true }, []], /'name'/],
      [['Room', { open: 'yes' }, []], /'params'/],
      [['Room', { open: true, music: 1 }, []], /'params'/],
      [['Room', null, [{ pin: '12', level: 'GUEST' }]], /'access'.*0\.pin/],
      [['Room', null, [{ pin: '12345678901', level: 'GUEST' }]], /'access'.*0\.pin/],
      [['Room', null, [{ pin: '1234', level: 'OWNER' }]], /'access'.*0\.level/],
      [['Room', null, [{ pin: '1234', level: 'GUEST', phone_number: '0612' }]], /'access'.*phone_number/],
      [
        [
          'Room',
          null,
          [
            { pin: '1234', level: 'GUEST' },
            { pin: '1234', level: 'ADMIN' },
          ],
        ],
        /'access'.*1\.pin.*given twice/,
      ],
    ];
    for (const [params, message] of cases) {
      const error = await acme.error('conference/10.create_room', params);
      expect(error.code, JSON.stringify(params)).toBe(INVALID_PARAMS);
      expect(error.message).toMatch(message);
    }
    expect((await acme.error('conference/10.get_room', [12])).code).toBe(INVALID_PARAMS);
    expect((await acme.error('conference/10.get_room', ['not-a-hash'])).code).toBe(NOT_FOUND);
  });

  it('updates the name, the open flag and the accesses, keeping an access whose PIN stays', async () => {
    const room = await createRoom(acme, 'Before', [
      { pin: '1111', level: 'GUEST' },
      { pin: '2222', level: 'GUEST' },
    ]);
    const kept = room.access.find((access) => access.pin === '1111');

    const updated = await acme.result<CallrRoom>('conference/10.update_room', [
      room.hash,
      'After',
      { open: false },
      [
        { pin: '1111', level: 'ADMIN', phone_number: '+33612345678' },
        { pin: '3333', level: 'GUEST' },
      ],
    ]);

    expect(updated).toMatchObject({ hash: room.hash, name: 'After', params: { open: false } });
    expect(updated.access).toEqual([
      { hash: kept?.hash, level: 'ADMIN', phone_number: '+33612345678', pin: '1111' },
      { hash: expect.stringMatching(HASH), level: 'GUEST', phone_number: '', pin: '3333' },
    ]);
    const unchanged = await acme.result<CallrRoom>('conference/10.update_room', [
      room.hash,
      null,
      null,
      null,
    ]);
    expect(unchanged).toMatchObject({ name: 'After', params: { open: false }, access: updated.access });
  });

  it('lists rooms a page at a time and deletes them', async () => {
    const first = await acme.result<{ has_more: boolean; hits: CallrRoom[]; offset: number; total: number }>(
      'conference/10.get_room_list',
      [{ offset: 0, quantity: 1, order: '-id' }],
    );
    expect(first).toMatchObject({ has_more: true, offset: 0 });
    expect(first.hits).toHaveLength(1);
    const total = first.total;
    const gone = first.hits[0];
    if (!gone) throw new Error('no room listed');

    expect(await acme.result('conference/10.delete_room', [gone.hash])).toBe(true);

    const after = await acme.result<{ hits: CallrRoom[]; total: number }>('conference/10.get_room_list', [
      null,
    ]);
    expect(after.total).toBe(total - 1);
    expect(after.hits.map((room) => room.hash)).not.toContain(gone.hash);
    expect((await acme.error('conference/10.get_room', [gone.hash])).code).toBe(NOT_FOUND);
  });
});

describe('conference DIDs', () => {
  it('assigns a DID to one room only, and frees it on remove_did', async () => {
    const room = await createRoom(acme, 'With a number');
    const second = await createRoom(acme, 'Another');
    const did = await seedDid(acme.accountId);

    const assigned = await acme.result<CallrRoom>('conference/10.assign_did', [room.hash, did.hash]);
    expect(assigned.did).toEqual([
      expect.objectContaining({ hash: did.hash, intl_number: did.number, app: '' }),
    ]);
    // Assigning it to the same room again changes nothing.
    await acme.result('conference/10.assign_did', [room.hash, did.hash]);

    const elsewhere = await acme.error('conference/10.assign_did', [second.hash, did.hash]);
    expect(elsewhere.code).toBe(CONFLICT);
    expect(elsewhere.message).toMatch(/did_id/);
    const [app0] = await app.parley.ctx.db
      .insert(voiceApps)
      .values({
        accountId: acme.accountId,
        package: 'REALTIME10',
        name: 'Rt',
        options: { url: 'https://x.test/' },
      })
      .returning();
    if (!app0) throw new Error('no app');
    const toApp = await acme.error('apps.assign_did', [encodeHash('app', app0.id), did.hash]);
    expect(toApp.code).toBe(CONFLICT);
    const available = await acme.result<{ hash: string }[]>('apps.get_dids', [true]);
    expect(available.map((entry) => entry.hash)).not.toContain(did.hash);

    expect(await acme.result('conference/10.remove_did', [did.hash])).toBe(true);
    expect((await acme.result<CallrRoom>('conference/10.get_room', [room.hash])).did).toEqual([]);
    await acme.result('apps.assign_did', [encodeHash('app', app0.id), did.hash]);
    const onApp = await acme.error('conference/10.assign_did', [room.hash, did.hash]);
    expect(onApp.code).toBe(CONFLICT);
    expect(onApp.message).toMatch(/did_id.*voice app/);
  });

  it('frees the numbers of a deleted room', async () => {
    const room = await createRoom(acme, 'Short-lived');
    const did = await seedDid(acme.accountId);
    await acme.result('conference/10.assign_did', [room.hash, did.hash]);

    await acme.result('conference/10.delete_room', [room.hash]);

    const [row] = await app.parley.ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.id, did.id));
    expect(row?.conferenceRoomId).toBeNull();
  });
});

describe('tenant isolation', () => {
  it("answers not found for another account's rooms, accesses, numbers and participants", async () => {
    const theirs = await createRoom(other, 'Private', [
      { pin: '9999', level: 'ADMIN', phone_number: '+33600000009' },
    ]);
    const theirAccess = theirs.access[0]?.hash ?? '';
    const theirDid = await seedDid(other.accountId);
    const mine = await createRoom(acme, 'Mine');
    const myDid = await seedDid(acme.accountId);

    const attempts: [string, unknown[]][] = [
      ['conference/10.get_room', [theirs.hash]],
      ['conference/10.update_room', [theirs.hash, 'Taken', null, null]],
      ['conference/10.delete_room', [theirs.hash]],
      ['conference/10.assign_did', [theirs.hash, myDid.hash]],
      ['conference/10.assign_did', [mine.hash, theirDid.hash]],
      ['conference/10.remove_did', [theirDid.hash]],
      ['conference/10.call_room_access', [theirAccess, 'BLOCKED', true]],
      ['conference/10.get_participants', [theirs.hash]],
    ];
    for (const [method, params] of attempts) {
      expect((await acme.error(method, params)).code, method).toBe(NOT_FOUND);
    }
    const list = await acme.result<{ hits: CallrRoom[] }>('conference/10.get_room_list', [{ quantity: 100 }]);
    expect(list.hits.map((room) => room.hash)).not.toContain(theirs.hash);
    expect((await other.result<CallrRoom>('conference/10.get_room', [theirs.hash])).name).toBe('Private');
  });
});

describe('conference/10.call_room_access', () => {
  it('calls the access, joins the room when answered and leaves it at hangup', async () => {
    simulator().forceOutcome('+33655500001', { outcome: 'answer', ringSeconds: 0.5, talkSeconds: 2 });
    const room = await createRoom(acme, 'Live', [
      { pin: '5555', level: 'ADMIN', phone_number: '+33655500001' },
    ]);
    const access = room.access[0];
    if (!access) throw new Error('no access');

    const calling = await acme.result<CallrRoomParticipant>('conference/10.call_room_access', [
      access.hash,
      'BLOCKED',
      true,
    ]);

    expect(calling).toEqual({
      access: access.hash,
      announce: true,
      cli: 'BLOCKED',
      date_joined: '',
      date_left: '',
      date_started: expect.stringMatching(DATETIME),
      dialstatus: '',
      hash: expect.stringMatching(HASH),
      level: 'ADMIN',
      number: '+33655500001',
      room: room.hash,
      status: 'CALLING',
    });
    const inRoom = await waitFor(
      async () => {
        const now = await acme.result<CallrRoomParticipant[]>('conference/10.get_participants', [room.hash]);
        return now.length > 0 ? now : undefined;
      },
      { timeoutMs: 10_000, what: 'the participant to join' },
    );
    expect(inRoom).toEqual([
      { ...calling, status: 'JOINED', dialstatus: '', date_joined: expect.stringMatching(DATETIME) },
    ]);
    const refused = await acme.error('conference/10.delete_room', [room.hash]);
    expect(refused.code).toBe(CONFLICT);

    const left = await waitFor(
      async () => {
        const leg = await acme.result<CallrRoomParticipant>('conference/10.get_participant', [calling.hash]);
        return leg.status === 'LEFT' ? leg : undefined;
      },
      { timeoutMs: 10_000, what: 'the participant to leave' },
    );
    expect(left).toMatchObject({ dialstatus: 'ANSWER', date_joined: inRoom[0]?.date_joined });
    expect(left.date_left).toMatch(DATETIME);
    expect(left.date_left >= left.date_joined).toBe(true);
    expect(await acme.result('conference/10.get_participants', [room.hash])).toEqual([]);
    const charges = await app.parley.ctx.db
      .select()
      .from(creditLedger)
      .where(
        and(
          eq(creditLedger.accountId, acme.accountId),
          eq(
            creditLedger.reference,
            `conference_participant:${decodeHash('conference_participant', calling.hash)}`,
          ),
        ),
      );
    expect(charges).toHaveLength(1);
    expect(
      simulator()
        .allCalls()
        .find((call) => call.request.to === '+33655500001')?.endedBy,
    ).toBe('party');
    expect(await acme.result('conference/10.delete_room', [room.hash])).toBe(true);
    expect((await other.error('conference/10.get_participant', [calling.hash])).code).toBe(NOT_FOUND);
  });

  it('marks a leg nobody answered as failed, with its dial status', async () => {
    simulator().forceOutcome('+33655500002', { outcome: 'busy', ringSeconds: 0.5 });
    const room = await createRoom(acme, 'Busy', [
      { pin: '6666', level: 'GUEST', phone_number: '+33655500002' },
    ]);

    const calling = await acme.result<CallrRoomParticipant>('conference/10.call_room_access', [
      room.access[0]?.hash,
      null,
      false,
    ]);

    const failed = await waitFor(
      async () => {
        const leg = await acme.result<CallrRoomParticipant>('conference/10.get_participant', [calling.hash]);
        return leg.status === 'FAILED' ? leg : undefined;
      },
      { timeoutMs: 10_000, what: 'the leg to fail' },
    );
    expect(failed).toMatchObject({
      dialstatus: 'BUSY',
      date_joined: '',
      date_left: '',
      cli: '',
      announce: false,
    });
  });

  it('refuses an access without a number, a CLI the account may not present, and a closed room', async () => {
    const room = await createRoom(acme, 'Refusals', [
      { pin: '7777', level: 'GUEST' },
      { pin: '8888', level: 'GUEST', phone_number: '+33655500003' },
    ]);
    const [pinOnly, withNumber] = room.access;

    const noNumber = await acme.error('conference/10.call_room_access', [pinOnly?.hash, 'BLOCKED', false]);
    expect(noNumber).toMatchObject({
      code: INVALID_PARAMS,
      message: expect.stringMatching(/room_access_id/),
    });
    const badCli = await acme.error('conference/10.call_room_access', [
      withNumber?.hash,
      '+33199999999',
      false,
    ]);
    expect(badCli).toMatchObject({ code: INVALID_PARAMS, message: expect.stringMatching(/cli/) });
    const notCli = await acme.error('conference/10.call_room_access', [withNumber?.hash, 'nobody', false]);
    expect(notCli).toMatchObject({ code: INVALID_PARAMS, message: expect.stringMatching(/'cli'/) });
    const notBool = await acme.error('conference/10.call_room_access', [withNumber?.hash, 'BLOCKED', 'yes']);
    expect(notBool).toMatchObject({ code: INVALID_PARAMS, message: expect.stringMatching(/'announce'/) });

    await acme.result('conference/10.update_room', [room.hash, null, { open: false }, null]);
    const closed = await acme.error('conference/10.call_room_access', [withNumber?.hash, 'BLOCKED', false]);
    expect(closed.code).toBe(CONFLICT);
  });
});
