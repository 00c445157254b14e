import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { speechToolsAvailable } from '../../testing/speech.js';
import { createCallEngines } from './engine-factory.js';

const logger = createLogger({ LOG_LEVEL: 'silent' });
const configWith = (env: Record<string, string>) => loadConfig(env);
const sphinx = speechToolsAvailable(['pocketsphinx', 'ffmpeg']);

describe('createCallEngines', () => {
  it('uses no transcription engine when turned off, and says so', () => {
    const engines = createCallEngines(configWith({ PARLEY_TRANSCRIPTION_ENGINE: 'none' }), { logger });
    expect(engines.transcription).toBeNull();
    expect(engines.transcriptionUnavailableReason).toBe(
      'transcription is turned off (PARLEY_TRANSCRIPTION_ENGINE=none)',
    );
    expect(engines.summary.name).toBe('extractive');
  });

  it('picks the OpenAI-compatible engines when configured', async () => {
    const engines = createCallEngines(
      configWith({
        PARLEY_TRANSCRIPTION_ENGINE: 'openai',
        PARLEY_TRANSCRIPTION_URL: 'http://127.0.0.1:8080',
        PARLEY_SUMMARY_ENGINE: 'openai',
      }),
      { logger },
    );
    expect(engines.transcription?.name).toBe('openai');
    expect(await engines.transcription?.availability()).toEqual({ available: true });
    expect(engines.summary.name).toBe('openai');
    expect(await engines.summary.availability()).toEqual({
      available: false,
      reason: 'PARLEY_SUMMARY_ENGINE=openai needs PARLEY_SUMMARY_URL (an OpenAI-compatible chat server)',
    });
  });

  it('auto picks pocketsphinx exactly when it is installed', async () => {
    const engines = createCallEngines(configWith({}), { logger });
    if (sphinx.available) {
      expect(engines.transcription?.name).toBe('pocketsphinx');
      expect(engines.transcriptionUnavailableReason).toBeNull();
      expect(await engines.audio.availability()).toEqual({ available: true });
    } else {
      console.warn(`pocketsphinx branch not exercised: ${sphinx.reason}`);
      expect(engines.transcription).toBeNull();
      expect(engines.transcriptionUnavailableReason).toMatch(/pocketsphinx is not installed/);
    }
  });

  it('auto uses no engine when ffmpeg is missing, saying so', () => {
    const engines = createCallEngines(configWith({ PARLEY_FFMPEG_PATH: '/nonexistent/ffmpeg' }), { logger });
    expect(engines.transcription).toBeNull();
    expect(engines.transcriptionUnavailableReason).toMatch(
      sphinx.available
        ? /^pocketsphinx needs ffmpeg; ffmpeg is not installed/
        : /pocketsphinx is not installed/,
    );
    expect(engines.transcriptionUnavailableReason).toMatch(/or set PARLEY_TRANSCRIPTION_ENGINE=openai/);
  });

  it('keeps an explicitly chosen pocketsphinx engine so each call reports what is missing', async () => {
    const engines = createCallEngines(
      configWith({ PARLEY_TRANSCRIPTION_ENGINE: 'pocketsphinx', PARLEY_FFMPEG_PATH: '/nonexistent/ffmpeg' }),
      { logger },
    );
    expect(engines.transcription?.name).toBe('pocketsphinx');
    const availability = await engines.transcription?.availability();
    expect(availability?.available).toBe(false);
    expect(availability?.reason).toMatch(
      /pocketsphinx is not installed|PARLEY_FFMPEG_PATH=\/nonexistent\/ffmpeg/,
    );
  });
});
