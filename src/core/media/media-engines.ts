import { createAudioToolkit, type AudioToolkit } from '../calls/audio/audio-toolkit.js';
import type { Config } from '../../platform/config.js';
import { createTtsEngine, type TtsEngine } from './tts.js';

export interface MediaEngines {
  audio: AudioToolkit;
  tts: TtsEngine;
}

const cache = new Map<string, MediaEngines>();

/**
 * ffmpeg (PARLEY_FFMPEG_PATH or PATH) and espeak-ng (PATH), looked up once per configuration: the
 * look-up reads the file system, and methods ask for them on every call.
 */
export function mediaEngines(config: Pick<Config, 'PARLEY_FFMPEG_PATH'>): MediaEngines {
  const key = config.PARLEY_FFMPEG_PATH ?? '';
  let engines = cache.get(key);
  if (!engines) {
    engines = {
      audio: createAudioToolkit({ ffmpegPath: config.PARLEY_FFMPEG_PATH }),
      tts: createTtsEngine(),
    };
    cache.set(key, engines);
  }
  return engines;
}
