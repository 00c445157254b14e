import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechToolsAvailable, synthesizeSpeech } from '../../../testing/speech.js';
import { createAudioToolkit } from '../audio/audio-toolkit.js';
import { createPocketsphinxEngine } from './pocketsphinx-engine.js';

const tools = speechToolsAvailable();
if (!tools.available) console.warn(`pocketsphinx engine tests skipped: ${tools.reason}`);

// Sentences espeak's en-us+klatt voice says in a way the stock US English model gets right.
const SENTENCES = [
  'What is the price?',
  'We need a doctor at the meeting.',
  'The meeting is tomorrow.',
  'One two three four five.',
];
const KEYWORDS = ['price', 'meeting', 'tomorrow', 'three', 'four', 'five'];

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/\s+/));
}

// Recognition takes about half the audio's length in CPU time; a busy CI machine needs the headroom.
describe.skipIf(!tools.available)(
  `pocketsphinx engine${tools.available ? '' : ` (skipped: ${tools.reason})`}`,
  { timeout: 180_000 },
  () => {
    const audio = createAudioToolkit();
    const engine = createPocketsphinxEngine({ audio });
    let dir: string;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'parley-sphinx-test-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('is available', async () => {
      expect(await engine.availability()).toEqual({ available: true });
    });

    it('transcribes spoken keywords with timings and confidence', async () => {
      const file = await synthesizeSpeech(SENTENCES.join(' '), { outPath: join(dir, 'mono.mp3') });
      const info = await audio.probe(file);
      const result = await engine.transcribe({ filePath: file, audio: info, language: 'en-US' });

      expect(result.language).toBe('en');
      expect(result.segments.length).toBeGreaterThanOrEqual(2);
      const heard = wordsOf(result.segments.map((segment) => segment.text).join(' '));
      const found = KEYWORDS.filter((keyword) => heard.has(keyword));
      expect(found.length, `heard: ${[...heard].join(' ')}`).toBeGreaterThanOrEqual(4);
      expect(heard.has('tomorrow')).toBe(true);

      let previousStart = -1;
      for (const segment of result.segments) {
        expect(segment.channel).toBeNull();
        expect(segment.startSeconds).toBeGreaterThanOrEqual(previousStart);
        expect(segment.endSeconds).toBeGreaterThan(segment.startSeconds);
        expect(segment.endSeconds).toBeLessThanOrEqual(info.durationSeconds + 0.1);
        expect(segment.confidence).toBeGreaterThan(0);
        expect(segment.confidence).toBeLessThanOrEqual(1);
        previousStart = segment.startSeconds;
      }
    });

    it('transcribes each channel of a dual-channel call as its own speaker', async () => {
      const file = await synthesizeSpeech(['The meeting is tomorrow.', 'The number is three four five.'], {
        outPath: join(dir, 'dual.wav'),
        channels: 2,
      });
      const info = await audio.probe(file);
      expect(info.channels).toBe(2);
      const result = await engine.transcribe({ filePath: file, audio: info, language: null });

      const byChannel = (channel: number) =>
        wordsOf(
          result.segments
            .filter((segment) => segment.channel === channel)
            .map((segment) => segment.text)
            .join(' '),
        );
      expect(byChannel(0).has('tomorrow')).toBe(true);
      expect(byChannel(0).has('five')).toBe(false);
      expect(
        ['three', 'four', 'five'].filter((word) => byChannel(1).has(word)).length,
      ).toBeGreaterThanOrEqual(2);
      expect(byChannel(1).has('tomorrow')).toBe(false);
      // Channel 1 speaks second: its words start after channel 0's.
      const firstOf = (channel: number) =>
        result.segments.find((segment) => segment.channel === channel)!.startSeconds;
      expect(firstOf(1)).toBeGreaterThan(firstOf(0));
    });

    it('stops the recognizer when the work is cancelled', async () => {
      const file = await synthesizeSpeech(SENTENCES.join(' ').repeat(4), { outPath: join(dir, 'long.wav') });
      const info = await audio.probe(file);
      const controller = new AbortController();
      const started = Date.now();
      const pending = engine.transcribe({
        filePath: file,
        audio: info,
        language: null,
        signal: controller.signal,
      });
      // Late enough that conversion is done and the recognizer itself is running (it needs ~20 s here).
      setTimeout(() => controller.abort(), 1500);
      await expect(pending).rejects.toThrow(/cancelled/);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('refuses a language it has no model for', async () => {
      const file = join(dir, 'mono.mp3');
      const info = await audio.probe(file);
      await expect(engine.transcribe({ filePath: file, audio: info, language: 'fr' })).rejects.toThrow(
        /only an English model/,
      );
    });
  },
);

describe('pocketsphinx engine when not installed', () => {
  it('says what to install', async () => {
    const engine = createPocketsphinxEngine({
      audio: createAudioToolkit(),
      binary: 'pocketsphinx_missing_binary',
    });
    expect(await engine.availability()).toEqual({
      available: false,
      reason: 'pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us ffmpeg',
    });
  });

  it('says when the model is missing', async () => {
    const engine = createPocketsphinxEngine({ audio: createAudioToolkit(), modelDir: '/nonexistent/model' });
    const availability = await engine.availability();
    expect(availability.available).toBe(false);
    expect(availability.reason).toMatch(
      tools.available ? /apt-get install pocketsphinx-en-us$/ : /not installed/,
    );
  });

  it('says ffmpeg is needed too', async () => {
    const engine = createPocketsphinxEngine({
      audio: createAudioToolkit({ ffmpegPath: '/nonexistent/ffmpeg' }),
    });
    const availability = await engine.availability();
    if (tools.available) expect(availability.reason).toMatch(/pocketsphinx needs ffmpeg/);
    else expect(availability.available).toBe(false);
  });
});
