import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.js';
import { speechToolsAvailable } from '../../testing/speech.js';
import { decodeBase64 } from './base64.js';
import { createTtsEngine, findTtsVoice, TTS_VOICES, wordsPerMinuteFor } from './tts.js';

const espeak = speechToolsAvailable(['espeak-ng']);

describe('text-to-speech engine', () => {
  it('maps CALLR rates onto espeak-ng words per minute', () => {
    expect(wordsPerMinuteFor(1)).toBe(80);
    expect(wordsPerMinuteFor(50)).toBe(160);
    expect(wordsPerMinuteFor(100)).toBe(320);
    expect(wordsPerMinuteFor(75)).toBe(240);
    // Out-of-range values are clamped, never passed to espeak as such.
    expect(wordsPerMinuteFor(-5)).toBe(80);
    expect(wordsPerMinuteFor(1000)).toBe(320);
  });

  it('knows the seed voices, case-insensitively', () => {
    expect(TTS_VOICES).toHaveLength(13);
    expect(findTtsVoice('tts_fr-fr_audrey')).toMatchObject({ locale: 'fr_FR', gender: 'FEMALE' });
    expect(findTtsVoice('TTS_ES-ES_NOBODY')).toBeUndefined();
  });

  it('says clearly when espeak-ng is missing', async () => {
    const engine = createTtsEngine({ espeakPath: '/nonexistent/espeak-ng' });
    expect(engine.availability()).toEqual({
      available: false,
      reason: 'Text-to-speech is not available: /nonexistent/espeak-ng is not an executable file',
    });
    const voice = TTS_VOICES[0]!;
    const failure = await engine
      .synthesize({ text: 'hello', voice, rate: 50, outputPath: '/tmp/never.wav' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/espeak-ng/) });
  });

  it.skipIf(!espeak.available)(
    'speaks every voice with an installed espeak-ng voice',
    { timeout: 60_000 },
    async () => {
      const engine = createTtsEngine();
      const dir = await mkdtemp(join(tmpdir(), 'parley-tts-test-'));
      try {
        for (const voice of TTS_VOICES) {
          const outputPath = join(dir, `${voice.id}.wav`);
          await engine.synthesize({ text: 'Bonjour, hello, hallo, ciao.', voice, rate: 50, outputPath });
          // More than half a second of 22,050 Hz 16-bit audio after the 44-byte header.
          expect((await stat(outputPath)).size, voice.id).toBeGreaterThan(44 + 22050);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('strict base64', () => {
  it('decodes standard, URL-safe, wrapped and data: URI forms', () => {
    expect(decodeBase64('aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeBase64('aGVs\nbG8=')?.toString()).toBe('hello');
    expect(decodeBase64('data:audio/wav;base64,aGVsbG8=')?.toString()).toBe('hello');
    expect(decodeBase64('-_8=')).toEqual(Buffer.from([0xfb, 0xff]));
  });

  it('refuses what Node would silently half-decode', () => {
    expect(decodeBase64('hello world!')).toBeNull();
    expect(decodeBase64('abcde')).toBeNull();
    expect(decodeBase64('aGVsbG8=x')).toBeNull();
  });
});
