import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../core/calls/calls.tables.js';
import { phoneNumbers } from '../../core/numbers/numbers.tables.js';
import { speechToolsAvailable, synthesizeSpeech } from '../../testing/speech.js';
import { createCallrTestApp, type CallrTestAccount } from './callr-test-kit.js';
import { encodeHash } from './hash-ids.js';

const run = promisify(execFile);
const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
if (!tools.available) console.warn(`CALLR media tests skipped: ${tools.reason}`);

const SENTENCE = 'Welcome to Parley. Your call is important to us.';

/** Decodes audio to 8 kHz mono 16-bit PCM with ffmpeg: for measuring loudness and length. */
async function decodePcm(file: string): Promise<Int16Array> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return new Int16Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 2));
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

interface Media {
  id: number;
  hash: string;
  status: string;
  duration: number;
  url: string;
  voice: string;
  content: string;
  language: string[];
  tags: Record<string, string[]>;
  category: string[];
}

describe.skipIf(!tools.available)('CALLR media library', { timeout: 120_000 }, () => {
  let kit: Awaited<ReturnType<typeof createCallrTestApp>>;
  let alice: CallrTestAccount;
  let bob: CallrTestAccount;
  let dir: string;
  let wavBase64: string;
  let wavSeconds: number;

  beforeAll(async () => {
    kit = await createCallrTestApp();
    alice = await kit.account('alice');
    bob = await kit.account('bob');
    dir = await mkdtemp(join(tmpdir(), 'parley-media-test-'));
    const wav = await synthesizeSpeech(SENTENCE, { outPath: join(dir, 'welcome.wav') });
    wavBase64 = (await readFile(wav)).toString('base64');
    wavSeconds = ((await stat(wav)).size - 44) / (22050 * 2);
  });
  afterAll(async () => {
    await kit.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Downloads a media's MP3 through its signed URL and returns the file written. */
  async function download(media: Media, name: string): Promise<string> {
    const url = new URL(media.url);
    const response = await kit.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^audio\/mpeg/);
    const file = join(dir, name);
    await writeFile(file, response.rawPayload);
    return file;
  }

  it('creates an empty media with the seed fields', async () => {
    const id = await alice.result<number>('media/library.create', ['Welcome']);
    expect(Number.isInteger(id)).toBe(true);
    const media = await alice.result<Media>('media/library.get', [id]);
    expect(media).toEqual({
      category: [],
      content: '',
      duration: 0,
      hash: expect.stringMatching(/^[0-9A-F]{8}$/),
      id,
      is_editable: true,
      language: [],
      name: 'Welcome',
      status: 'PENDING_CONTENT',
      tags: {},
      url: '',
      voice: '',
    });
    // The hash and a string of digits name the same media.
    expect(await alice.result<Media>('media/library.get', [media.hash])).toMatchObject({ id });
    expect(await alice.result<Media>('media/library.get', [String(id)])).toMatchObject({ id });
  });

  it('stores base64 audio as a measured MP3', async () => {
    const id = await alice.result<number>('media/library.create', ['Greeting']);
    expect(await alice.result('media/library.set_content', [id, SENTENCE, wavBase64])).toBe(true);
    const media = await alice.result<Media>('media/library.get', [id]);
    expect(media).toMatchObject({ status: 'READY', content: SENTENCE, voice: '' });
    expect(media.duration).toBe(Math.round(wavSeconds));
    const mp3 = await download(media, 'greeting.mp3');
    const pcm = await decodePcm(mp3);
    expect(Math.abs(pcm.length / 8000 - wavSeconds)).toBeLessThan(0.2);
    expect(rms(pcm)).toBeGreaterThan(300);
  });

  it('refuses content that is not audio, naming the param', async () => {
    const id = await alice.result<number>('media/library.create', ['Broken']);
    const notAudio = Buffer.from('<html><body>not a sound</body></html>').toString('base64');
    const refused = await alice.error('media/library.set_content', [id, '', notAudio]);
    expect(refused.code).toBe(-32602);
    expect(refused.message).toMatch(/base64_audio.*not usable audio/);
    expect(await alice.result<Media>('media/library.get', [id])).toMatchObject({ status: 'ERROR', url: '' });

    const notBase64 = await alice.error('media/library.set_content', [id, '', 'this is not base64!']);
    expect(notBase64).toMatchObject({ code: -32602 });
    expect(notBase64.message).toMatch(/base64_audio/);
  });

  describe('text-to-speech', () => {
    it('lists CALLR voices by language', async () => {
      const groups = await alice.result<{ language: string; voices: string[] }[]>('media/tts.get_voice_list');
      expect(groups.flatMap((group) => group.voices)).toHaveLength(13);
      expect(groups).toContainEqual({
        language: 'fr_FR',
        voices: ['TTS_FR-FR_AUDREY', 'TTS_FR-FR_SEBASTIEN', 'TTS_FR-FR_THOMAS', 'TTS_FR-FR_VIRGINIE'],
      });
    });

    it('speaks the text: non-silent audio as long as espeak-ng says it', async () => {
      const text = 'Hello, thank you for calling. Please hold the line.';
      const id = await alice.result<number>('media/library.create', ['TTS hello']);
      expect(await alice.result('media/tts.set_content', [id, text, 'TTS_EN-GB_SERENA', { rate: 50 }])).toBe(
        true,
      );
      const media = await alice.result<Media>('media/library.get', [id]);
      expect(media).toMatchObject({
        status: 'READY',
        content: text,
        voice: 'TTS_EN-GB_SERENA',
        language: ['en_GB'],
      });
      // The same voice and pace straight from espeak-ng: the reference length.
      const reference = join(dir, 'reference.wav');
      await run('espeak-ng', ['-v', 'en-gb+f3', '-s', '160', '-w', reference, '--', text]);
      const referenceSeconds = ((await stat(reference)).size - 44) / (22050 * 2);
      expect(referenceSeconds).toBeGreaterThan(2);
      const pcm = await decodePcm(await download(media, 'tts.mp3'));
      const seconds = pcm.length / 8000;
      expect(Math.abs(seconds - referenceSeconds)).toBeLessThan(0.2);
      expect(media.duration).toBe(Math.round(referenceSeconds));
      expect(rms(pcm)).toBeGreaterThan(300);
    });

    it('speaks faster at a higher rate', async () => {
      const text = 'One two three four five six seven eight nine ten.';
      const slow = await alice.result<number>('media/library.create', ['slow']);
      const fast = await alice.result<number>('media/library.create', ['fast']);
      await alice.result('media/tts.set_content', [slow, text, 'TTS_FR-FR_THOMAS', { rate: 20 }]);
      await alice.result('media/tts.set_content', [fast, text, 'TTS_FR-FR_THOMAS', { rate: 100 }]);
      const slowPcm = await decodePcm(
        await download(await alice.result<Media>('media/library.get', [slow]), 's.mp3'),
      );
      const fastPcm = await decodePcm(
        await download(await alice.result<Media>('media/library.get', [fast]), 'f.mp3'),
      );
      expect(fastPcm.length * 1.8).toBeLessThan(slowPcm.length);
    });

    it('refuses an unknown voice, an empty text and a rate out of range', async () => {
      const id = await alice.result<number>('media/library.create', ['bad tts']);
      expect(await alice.error('media/tts.set_content', [id, 'hi', 'TTS_XX-XX_NOBODY', null])).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/voice/),
      });
      expect(await alice.error('media/tts.set_content', [id, '   ', 'TTS_DE-DE_ANNA', null])).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/text/),
      });
      expect(
        await alice.error('media/tts.set_content', [id, 'hi', 'TTS_DE-DE_ANNA', { rate: 0 }]),
      ).toMatchObject({
        code: -32602,
        message: expect.stringMatching(/options/),
      });
    });
  });

  it('renames, tags, categorises, lists and summarises', async () => {
    const id = await alice.result<number>('media/library.create', ['To edit']);
    const other = await alice.result<number>('media/library.create', ['Not in IVR']);
    await alice.result('media/library.set_content', [id, '', wavBase64]);
    expect(await alice.result('media/library.set_name', [id, 'Edited'])).toBe(true);
    expect(await alice.result('media/library.set_tags', [id, { lang: ['fr', 'en'], team: 'sales' }])).toBe(
      true,
    );
    expect(await alice.result('media/library.set_categories', [id, ['IVR', 'WELCOME']])).toBe(true);
    const media = await alice.result<Media>('media/library.get', [id]);
    expect(media).toMatchObject({
      name: 'Edited',
      tags: { lang: ['fr', 'en'], team: ['sales'] },
      category: ['IVR', 'WELCOME'],
    });

    const ivr = await alice.result<Media[]>('media/library.get_list', [['IVR']]);
    expect(ivr.map((item) => item.id)).toEqual([id]);
    expect(await alice.result<Media[]>('media/library.get_list', ['RINGTONE'])).toEqual([]);
    const all = await alice.result<Media[]>('media/library.get_list', [null]);
    expect(all.map((item) => item.id)).toEqual(expect.arrayContaining([id, other]));
    expect(all.map((item) => item.id)).toEqual([...all.map((item) => item.id)].sort((a, b) => a - b));
    expect(await alice.error('media/library.get_list', [['NOPE']])).toMatchObject({ code: -32602 });
    expect(await alice.error('media/library.set_tags', [id, { ' ': ['x'] }])).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/tags/),
    });

    const overview = await alice.result<{
      count: Record<string, number>;
      ready: { count: number; size: number };
    }>('media/library.get_overview');
    expect(overview.count.READY).toBe(all.filter((item) => item.status === 'READY').length);
    expect(overview.count.ERROR).toBe(all.filter((item) => item.status === 'ERROR').length);
    expect(overview.ready.size).toBeGreaterThan(1000);
  });

  it('deletes a media and its audio', async () => {
    const id = await alice.result<number>('media/library.create', ['Short-lived']);
    await alice.result('media/library.set_content', [id, '', wavBase64]);
    const media = await alice.result<Media>('media/library.get', [id]);
    const key = decodeURIComponent(new URL(media.url).pathname.replace(/^\/blobs\//, ''));
    expect(await kit.app.parley.ctx.storage.stat(key)).not.toBeNull();
    expect(await alice.result('media/library.delete', [id])).toBe(true);
    expect(await alice.error('media/library.get', [id])).toMatchObject({ code: -32004 });
    expect(await kit.app.parley.ctx.storage.stat(key)).toBeNull();
  });

  it('replaces content: the old audio is removed, and a failed attempt keeps the current one', async () => {
    const storage = kit.app.parley.ctx.storage;
    const keyOf = (media: Media) => decodeURIComponent(new URL(media.url).pathname.replace(/^\/blobs\//, ''));
    const id = await alice.result<number>('media/library.create', ['Replaced']);
    await alice.result('media/library.set_content', [id, 'first', wavBase64]);
    const first = await alice.result<Media>('media/library.get', [id]);
    await alice.result('media/tts.set_content', [id, 'Second version.', 'TTS_IT-IT_PAOLO', null]);
    const second = await alice.result<Media>('media/library.get', [id]);
    expect(second).toMatchObject({ status: 'READY', content: 'Second version.', voice: 'TTS_IT-IT_PAOLO' });
    expect(keyOf(second)).not.toBe(keyOf(first));
    expect(await storage.stat(keyOf(first))).toBeNull();

    const notAudio = Buffer.from('just some text, no sound at all').toString('base64');
    expect(await alice.error('media/library.set_content', [id, '', notAudio])).toMatchObject({
      code: -32602,
    });
    const kept = await alice.result<Media>('media/library.get', [id]);
    expect(kept).toMatchObject({ status: 'READY', content: 'Second version.' });
    expect(await storage.stat(keyOf(kept))).not.toBeNull();
  });

  it("keeps each account's media to itself", async () => {
    const id = await alice.result<number>('media/library.create', ['Private']);
    const hash = (await alice.result<Media>('media/library.get', [id])).hash;
    for (const [method, params] of [
      ['media/library.get', [id]],
      ['media/library.get', [hash]],
      ['media/library.set_name', [id, 'mine now']],
      ['media/library.set_tags', [id, {}]],
      ['media/library.set_content', [id, '', wavBase64]],
      ['media/tts.set_content', [id, 'hello', 'TTS_DE-DE_ANNA', null]],
      ['media/library.get_phone_id', [id, 'FR']],
      ['media/library.delete', [id]],
    ] as const) {
      expect(await bob.error(method, [...params]), method).toMatchObject({ code: -32004 });
    }
    const bobs = await bob.result<Media[]>('media/library.get_list', [null]);
    expect(bobs.map((item) => item.id)).not.toContain(id);
    expect(await alice.result<Media>('media/library.get', [id])).toMatchObject({ name: 'Private' });
  });

  it('gives a DTMF code and a number of the account to record by phone', async () => {
    const db = kit.app.parley.ctx.db;
    await db.insert(phoneNumbers).values({
      number: '+33170000001',
      countryCode: 'FR',
      localPrefix: '1',
      type: 'GEOGRAPHIC',
      state: 'active',
      accountId: alice.accountId,
    });
    const id = await alice.result<number>('media/library.create', ['By phone']);
    const phoneId = await alice.result<{ code: string; number: string }>('media/library.get_phone_id', [
      id,
      'fr',
    ]);
    expect(phoneId).toEqual({ code: expect.stringMatching(/^\d{6}$/), number: '+33170000001' });
    expect(await alice.result('media/library.get_phone_id', [id, 'FR'])).toEqual(phoneId);
    expect(await alice.error('media/library.get_phone_id', [id, 'DE'])).toMatchObject({ code: -32004 });
    expect(await alice.error('media/library.get_phone_id', [id, 'France'])).toMatchObject({ code: -32602 });
  });

  it('takes a call recording as content', async () => {
    const db = kit.app.parley.ctx.db;
    const key = `test-recordings/${alice.accountId}/call.wav`;
    await kit.app.parley.ctx.storage.put(key, Buffer.from(wavBase64, 'base64'));
    const [call] = await db
      .insert(calls)
      .values({
        accountId: alice.accountId,
        state: 'summarized',
        recordingExtension: 'wav',
        recordingKey: key,
      })
      .returning({ id: calls.id });
    const recording = encodeHash('recording', call!.id);
    const id = await alice.result<number>('media/library.create', ['From a call']);
    expect(await bob.error('media/library.set_content_from_recording', [id, recording])).toMatchObject({
      code: -32004,
    });
    const other = await bob.result<number>('media/library.create', ['Bob wants it']);
    expect(await bob.error('media/library.set_content_from_recording', [other, recording])).toMatchObject({
      code: -32004,
    });
    expect(await alice.result('media/library.set_content_from_recording', [id, recording])).toBe(true);
    expect(await alice.result<Media>('media/library.get', [id])).toMatchObject({
      status: 'READY',
      duration: Math.round(wavSeconds),
    });
  });

  it('lists the e-mail templates by type', async () => {
    const vms = await alice.result<{ hash: string; name: string; type: string }[]>(
      'media/email.get_templates',
      ['VMS'],
    );
    expect(vms).toEqual([
      { hash: expect.stringMatching(/^[0-9A-F]{8}$/), name: 'New voicemail', type: 'VMS' },
    ]);
    expect(await alice.error('media/email.get_templates', ['SMS'])).toMatchObject({ code: -32602 });
  });
});
