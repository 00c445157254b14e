import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../testing/app.js';
import { speechToolsAvailable } from '../../testing/speech.js';
import { recordingKeyOf } from '../../core/calls/call-settings.js';
import { calls } from '../../core/calls/calls.tables.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { syntheticCallRecording } from '../../core/telephony/audio-synthetic-call.js';
import { telephonyCalls } from '../../core/telephony/telephony.tables.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { decodeHash, encodeHash } from './hash-ids.js';

/**
 * `media/recording.*` and `media/library.get_quota` over recordings written into the calls core
 * as its pipeline leaves them: an inbound telephony call with its CDR, an uploaded call, one
 * still waiting for its upload, and an answered call the simulator did not record.
 */

interface CallrRecording {
  app_hash: string;
  callid: number;
  cli_number: string;
  date: string;
  date_read: string;
  did_hash: string;
  did_intl_number: string;
  did_local_number: string;
  duration: number;
  file_size_total: number;
  hash: string;
  read: boolean;
  status: string;
  type: string;
  url: string;
  url_exts: string[];
  url_mp3: string;
}
interface ListResult {
  items: CallrRecording[];
  total_items: number;
}

let app: TestApp;
let account: CallrTestAccount;
let other: CallrTestAccount;
let appHash: string;
let didHash: string;
let callid: number;
/** Newest first: pending (03-03), uploaded (03-02), telephony (03-01). */
let hashes: { pending: string; uploaded: string; telephony: string };
let otherHash: string;
const audio = syntheticCallRecording(4);

async function insertCall(
  accountId: number,
  values: {
    startedAt: string;
    recorded: boolean;
    externalId?: string;
    state?: 'pending_upload' | 'summarized';
  },
): Promise<number> {
  const db = app.parley.ctx.db;
  const [row] = await db
    .insert(calls)
    .values({
      accountId,
      startedAt: new Date(values.startedAt),
      durationSeconds: 30,
      state: values.state ?? 'summarized',
      recordingExtension: 'mp3',
      externalId: values.externalId ?? null,
    })
    .returning();
  if (!row) throw new Error('no call');
  if (values.recorded) {
    const key = recordingKeyOf(accountId, row.id, 'mp3');
    await app.parley.ctx.storage.put(key, audio.bytes, { contentType: 'audio/mpeg' });
    await db
      .update(calls)
      .set({
        recordingKey: key,
        recordingFormat: 'mp3',
        recordingSize: audio.bytes.length,
        recordingDurationSeconds: audio.durationSeconds,
      })
      .where(eq(calls.id, row.id));
  }
  return row.id;
}

beforeAll(async () => {
  const kit = await createCallrTestApp();
  app = kit.app;
  account = await kit.account('Recorded');
  other = await kit.account('Someone else');
  const db = app.parley.ctx.db;
  appHash = (
    await account.result<{ hash: string }>('apps.create', [
      'REALTIME10',
      'Desk',
      { url: 'https://example.com/rt' },
    ])
  ).hash;
  const [did] = await db
    .insert(phoneNumbers)
    .values({
      number: '+33123456789',
      countryCode: 'FR',
      localPrefix: '01',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId: account.accountId,
    })
    .returning();
  if (!did) throw new Error('no DID');
  didHash = encodeHash('did', did.id);
  const [cdr] = await db
    .insert(telephonyCalls)
    .values({
      accountId: account.accountId,
      direction: 'IN',
      kind: 'realtime',
      voiceAppId: decodeHash('app', appHash),
      appName: 'Desk',
      number: '+33123456789',
      cli: '+33698765432',
      status: 'ended',
    })
    .returning();
  if (!cdr) throw new Error('no CDR');
  callid = cdr.id;
  const telephony = await insertCall(account.accountId, {
    startedAt: '2024-03-01T10:00:00Z',
    recorded: true,
    externalId: `telephony-${cdr.id}`,
  });
  await db.update(telephonyCalls).set({ callId: telephony }).where(eq(telephonyCalls.id, cdr.id));
  const uploaded = await insertCall(account.accountId, { startedAt: '2024-03-02T10:00:00Z', recorded: true });
  const pending = await insertCall(account.accountId, {
    startedAt: '2024-03-03T10:00:00Z',
    recorded: false,
    state: 'pending_upload',
  });
  await insertCall(account.accountId, { startedAt: '2024-03-04T10:00:00Z', recorded: false });
  otherHash = encodeHash(
    'recording',
    await insertCall(other.accountId, { startedAt: '2024-03-01T10:00:00Z', recorded: true }),
  );
  hashes = {
    pending: encodeHash('recording', pending),
    uploaded: encodeHash('recording', uploaded),
    telephony: encodeHash('recording', telephony),
  };
});
afterAll(async () => {
  await app.close();
});

describe('media/recording', () => {
  it('gets a recording with its CDR, DID, status and a link to its audio', async () => {
    const recording = await account.result<CallrRecording>('media/recording.get', [hashes.telephony]);

    expect(recording).toEqual({
      app_hash: appHash,
      app_name: 'Desk',
      callid,
      cli_name: '',
      cli_number: '+33698765432',
      date: '2024-03-01 10:00:00',
      date_read: '',
      did_hash: didHash,
      did_intl_number: '+33123456789',
      did_local_number: '0123456789',
      duration: Math.round(audio.durationSeconds),
      file_size_total: audio.bytes.length,
      hash: hashes.telephony,
      options: {
        feeds: 'both',
        locale: '',
        ner: false,
        pii: false,
        sentiment: false,
        transcription: false,
        webhook: {},
      },
      read: false,
      status: 'READY',
      type: 'CALL',
      url: expect.stringContaining('/blobs/'),
      url_exts: ['mp3'],
      url_mp3: recording.url,
    });
    const download = await app.parley.server.inject({
      method: 'GET',
      url: new URL(recording.url).pathname + new URL(recording.url).search,
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(audio.bytes)).toBe(true);
  });

  it('lists recordings newest first, without calls that have no audio', async () => {
    const list = await account.result<ListResult>('media/recording.search', [null, null]);

    expect(list.total_items).toBe(3);
    expect(list.items.map((item) => [item.hash, item.status])).toEqual([
      [hashes.pending, 'PENDING'],
      [hashes.uploaded, 'READY'],
      [hashes.telephony, 'READY'],
    ]);
    expect(list.items[0]).toMatchObject({
      callid: 0,
      app_hash: '',
      did_hash: '',
      url: '',
      url_exts: [],
      url_mp3: '',
    });
  });

  it('pages by offset and by the last hash of the previous page', async () => {
    const first = await account.result<ListResult>('media/recording.search', [null, { quantity: 1 }]);
    const next = await account.result<ListResult>('media/recording.search', [
      null,
      { quantity: 2, after: first.items[0]?.hash },
    ]);
    const skipped = await account.result<ListResult>('media/recording.search', [
      null,
      { quantity: 1, offset: 2 },
    ]);

    expect(first.items.map((item) => item.hash)).toEqual([hashes.pending]);
    expect(next.items.map((item) => item.hash)).toEqual([hashes.uploaded, hashes.telephony]);
    expect(skipped.items.map((item) => item.hash)).toEqual([hashes.telephony]);
    expect([first.total_items, next.total_items]).toEqual([3, 3]);
  });

  it('filters on status, CDR, caller id, dates, duration and type', async () => {
    const search = async (filters: Record<string, unknown>) =>
      (await account.result<ListResult>('media/recording.search', [filters])).items.map((item) => item.hash);

    expect(await search({ status: 'READY' })).toEqual([hashes.uploaded, hashes.telephony]);
    expect(await search({ callid })).toEqual([hashes.telephony]);
    expect(await search({ cli_number: '+33698765432' })).toEqual([hashes.telephony]);
    expect(await search({ date_from: '2024-03-02 00:00:00', date_to: '2024-03-02 23:59:59' })).toEqual([
      hashes.uploaded,
    ]);
    expect(await search({ duration_min: 31 })).toEqual([]);
    expect(await search({ hash: hashes.uploaded })).toEqual([hashes.uploaded]);
    expect(await search({ type: 'VOICEMAIL' })).toEqual([]);
  });

  it('marks recordings read and unread, reporting the hashes it could not act on', async () => {
    const marked = await account.result('media/recording.mark_as_read', [[hashes.telephony, otherHash]]);
    const read = await account.result<CallrRecording>('media/recording.get', [hashes.telephony]);
    const readOnes = await account.result<ListResult>('media/recording.search', [{ read: true }]);
    const status = await account.result('media/recording.get_read_status');

    expect(marked).toEqual({
      errors: [{ code: -32004, hash: otherHash, message: 'Recording not found' }],
      success: 1,
    });
    expect(read.read).toBe(true);
    expect(read.date_read).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(readOnes.items.map((item) => item.hash)).toEqual([hashes.telephony]);
    expect(status).toEqual({
      CALL: { count: 3, read: 1, unread: 2 },
      CONFERENCE: { count: 0, read: 0, unread: 0 },
      RECORDING: { count: 0, read: 0, unread: 0 },
      VOICEMAIL: { count: 0, read: 0, unread: 0 },
    });

    const unmarked = await account.result('media/recording.mark_as_unread', [[hashes.telephony]]);
    expect(unmarked).toEqual({ errors: [], success: 1 });
    expect((await account.result<CallrRecording>('media/recording.get', [hashes.telephony])).read).toBe(
      false,
    );
  });

  it('gives an overview by status and the media quota', async () => {
    const overview = await account.result('media/recording.get_overview');
    const quota = await account.result('media/library.get_quota');
    const seconds = 2 * Math.round(audio.durationSeconds);

    expect(overview).toMatchObject({
      CALL: {
        count: { ERROR: 0, PROCESSING: 1, READY: 2, RECORDING: 0 },
        ready: { count: 2, read: 0, size: 2 * audio.bytes.length, unread: 2 },
      },
      VOICEMAIL: { count: { ERROR: 0, PROCESSING: 0, READY: 0, RECORDING: 0 }, ready: { count: 0, size: 0 } },
    });
    expect(quota).toEqual({
      count: { library: 0, recording: 2 },
      duration: { library: 0, recording: seconds },
      quota: { free: 36_000, paid: 0, unit: 'seconds' },
      status: {
        unit: 'seconds',
        unused: 36_000 - seconds,
        used: seconds,
        used_by_library: 0,
        used_by_recording: seconds,
        used_free: seconds,
        used_paid: 0,
      },
    });
  });

  it('keeps each account to its own recordings', async () => {
    const error = await other.error('media/recording.get', [hashes.telephony]);
    const list = await other.result<ListResult>('media/recording.search', []);
    const media = await other.result<number>('media/library.create', ['Copy']);
    const copy = await other.error('media/library.set_content_from_recording', [media, hashes.uploaded]);

    expect(error.code).toBe(-32004);
    expect(list.items.map((item) => item.hash)).toEqual([otherHash]);
    expect(copy.code).toBe(-32004);
  });

  it('names the bad param', async () => {
    const badHash = await account.error('media/recording.get', ['not-a-hash']);
    const badFilter = await account.error('media/recording.search', [{ colour: 'red' }]);
    const badOptions = await account.error('media/recording.search', [null, { quantity: 0 }]);
    const noHashes = await account.error('media/recording.delete', [[]]);

    expect(badHash.message).toContain("#1 'hash'");
    expect(badFilter.message).toContain("#1 'filters'");
    expect(badOptions.message).toContain("#2 'options'");
    expect(noHashes).toMatchObject({ code: -32602, message: expect.stringContaining("#1 'hashes'") });
  });

  it('deletes recordings that have audio and reports those that cannot go', async () => {
    const result = await account.result('media/recording.delete', [[hashes.uploaded, hashes.pending]]);
    const gone = await account.error('media/recording.get', [hashes.uploaded]);
    const list = await account.result<ListResult>('media/recording.search', []);

    expect(result).toEqual({
      errors: [{ code: -32004, hash: hashes.pending, message: 'This call has no recording' }],
      success: 1,
    });
    expect(gone.code).toBe(-32004);
    expect(list.total_items).toBe(2);
  });
});

describe.skipIf(!speechToolsAvailable(['ffmpeg']).available)(
  'media/library.set_content_from_recording',
  () => {
    it('takes the recording hashes media/recording lists', async () => {
      const media = await account.result<number>('media/library.create', ['From a call']);

      await account.result('media/library.set_content_from_recording', [media, hashes.telephony]);

      expect(await account.result('media/library.get', [media])).toMatchObject({ status: 'READY' });
    });
  },
);
