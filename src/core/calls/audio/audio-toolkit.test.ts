import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechToolsAvailable, synthesizeSpeech } from '../../../testing/speech.js';
import { NotAudioError } from '../engines.js';
import { createAudioToolkit } from './audio-toolkit.js';

const tools = speechToolsAvailable(['espeak-ng', 'ffmpeg']);
if (!tools.available) console.warn(`audio toolkit tests skipped: ${tools.reason}`);

const SENTENCE = 'The meeting is tomorrow. What is the price of the contract?';

describe.skipIf(!tools.available)(
  `audio toolkit with ffmpeg${tools.available ? '' : ` (skipped: ${tools.reason})`}`,
  { timeout: 90_000 },
  () => {
    const audio = createAudioToolkit();
    let dir: string;
    let referenceSeconds: number;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'parley-audio-test-'));
      const wav = await synthesizeSpeech(SENTENCE, { outPath: join(dir, 'speech.wav') });
      // espeak writes 16-bit mono at 22,050 Hz after a 44-byte header: the exact length, independent of ffmpeg.
      referenceSeconds = ((await stat(wav)).size - 44) / (22050 * 2);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each(['wav', 'mp3', 'm4a', 'webm', 'mp4', 'mpeg'] as const)(
      'measures a %s recording',
      async (format) => {
        const file = await synthesizeSpeech(SENTENCE, { outPath: join(dir, `measure.${format}`) });
        const info = await audio.probe(file);
        expect(info.format).toBe(format);
        expect(info.channels).toBe(1);
        expect(info.sampleRate).toBeGreaterThanOrEqual(22050);
        // Lossy codecs add encoder padding of a few tens of milliseconds.
        expect(Math.abs(info.durationSeconds - referenceSeconds)).toBeLessThan(0.15);
        expect(referenceSeconds).toBeGreaterThan(2);
      },
    );

    it('reports two channels for a dual-channel recording', async () => {
      const file = await synthesizeSpeech(['hello there', 'good morning'], {
        outPath: join(dir, 'dual.m4a'),
        channels: 2,
      });
      const info = await audio.probe(file);
      expect(info).toMatchObject({ format: 'm4a', channels: 2 });
      expect(info.durationSeconds).toBeGreaterThan(1.5);
    });

    it('rejects a text file as not audio', async () => {
      const file = join(dir, 'notes.wav');
      await writeFile(file, 'These are meeting notes, not a recording.\n'.repeat(50));
      await expect(audio.probe(file)).rejects.toThrow(NotAudioError);
      await expect(audio.probe(file)).rejects.toThrow(/not a recognised audio format/);
    });

    it('rejects an empty file', async () => {
      const file = join(dir, 'empty.mp3');
      await writeFile(file, '');
      await expect(audio.probe(file)).rejects.toThrow(/empty/);
    });

    it.each(['wav', 'mp3', 'm4a', 'webm'] as const)('rejects a truncated %s file', async (format) => {
      const whole = join(dir, `measure.${format}`);
      const bytes = await readFile(await synthesizeSpeech(SENTENCE, { outPath: whole }));
      const cut = join(dir, `cut.${format}`);
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 4)));
      const error = await audio.probe(cut).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotAudioError);
      expect((error as Error).message).toMatch(
        /truncated|not a recognised audio format|could not be decoded/,
      );
    });

    it('converts to 16 kHz mono wav, and splits a dual-channel recording per channel', async () => {
      const mono = await audio.toPcmWav(join(dir, 'measure.mp3'), join(dir, 'mono.wav'));
      expect(mono).toEqual([{ path: join(dir, 'mono.wav'), channel: null }]);
      expect(await audio.probe(mono[0]!.path)).toMatchObject({
        format: 'wav',
        channels: 1,
        sampleRate: 16000,
      });

      const dual = await synthesizeSpeech(['hello there', 'good morning to you'], {
        outPath: join(dir, 'split-me.webm'),
        channels: 2,
      });
      const split = await audio.toPcmWav(dual, join(dir, 'split.wav'), { splitChannels: true });
      expect(split.map((file) => file.channel)).toEqual([0, 1]);
      for (const file of split) {
        const info = await audio.probe(file.path);
        expect(info).toMatchObject({ channels: 1, sampleRate: 16000 });
      }
      // Each side keeps only its own speaker: the channels differ.
      const [left, right] = await Promise.all(split.map((file) => readFile(file.path)));
      expect(left!.equals(right!)).toBe(false);
    });
  },
);

describe('audio toolkit without ffmpeg', () => {
  const audio = createAudioToolkit({ ffmpegPath: '/nonexistent/ffmpeg' });

  it('says why it cannot convert', async () => {
    expect(await audio.availability()).toEqual({
      available: false,
      reason: 'PARLEY_FFMPEG_PATH=/nonexistent/ffmpeg is not an executable file',
    });
    await expect(audio.toPcmWav('/tmp/x.wav', '/tmp/y.wav')).rejects.toThrow(/ffmpeg is not installed/);
  });

  it.skipIf(!tools.available)('still measures a file from its header', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-audio-test-'));
    try {
      const file = await synthesizeSpeech('hello there', { outPath: join(dir, 'a.wav') });
      await copyFile(file, join(dir, 'b.wav'));
      const info = await audio.probe(join(dir, 'b.wav'));
      expect(info).toMatchObject({ format: 'wav', channels: 1, sampleRate: 22050 });
      expect(info.durationSeconds).toBeGreaterThan(0.5);
      await writeFile(join(dir, 'c.wav'), 'plain text');
      await expect(audio.probe(join(dir, 'c.wav'))).rejects.toThrow(NotAudioError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
