import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { findExecutable, runTool, stderrTail } from '../core/calls/audio/run-tool.js';
import type { EngineAvailability } from '../core/calls/engines.js';

/**
 * Real speech for the call-pipeline tests, made at test time with espeak-ng (no audio fixtures
 * in the repository). espeak's `en-us+klatt` voice at 140 words per minute is the one the
 * pocketsphinx US English model recognises best among the stock voices (measured: "what is the
 * price", "the meeting is tomorrow", "three four five" come back word for word).
 */
export type SpeechTool = 'espeak-ng' | 'ffmpeg' | 'pocketsphinx';

const INSTALL: Record<SpeechTool, { binary: string; apt: string }> = {
  'espeak-ng': { binary: 'espeak-ng', apt: 'espeak-ng' },
  ffmpeg: { binary: 'ffmpeg', apt: 'ffmpeg' },
  pocketsphinx: { binary: 'pocketsphinx_continuous', apt: 'pocketsphinx pocketsphinx-en-us' },
};

/** Whether the tools a test needs are installed; the reason names the packages to install. */
export function speechToolsAvailable(
  needs: readonly SpeechTool[] = ['espeak-ng', 'ffmpeg', 'pocketsphinx'],
): EngineAvailability {
  const missing = needs.filter((tool) => findExecutable(INSTALL[tool].binary) === null);
  if (missing.length === 0) return { available: true };
  return {
    available: false,
    reason: `${missing.join(', ')} not installed (apt-get install ${missing.map((tool) => INSTALL[tool].apt).join(' ')})`,
  };
}

export const RECOGNISABLE_VOICE = 'en-us+klatt';
export const RECOGNISABLE_WPM = 140;

export interface SpeechOptions {
  outPath: string;
  /** Taken from `outPath`'s extension when not given. */
  format?: 'wav' | 'mp3' | 'm4a' | 'mp4' | 'webm' | 'mpeg' | 'ogg';
  /** 2 makes a dual-channel recording: with several turns, turn i is spoken on channel i % 2. */
  channels?: 1 | 2;
  voice?: string;
  speedWpm?: number;
  /** Silence after each turn, in seconds. */
  pauseSeconds?: number;
  /** Output sample rate; espeak speaks at 22,050 Hz. */
  sampleRate?: number;
}

const CODECS: Record<NonNullable<SpeechOptions['format']>, string[]> = {
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  m4a: ['-c:a', 'aac', '-b:a', '64k', '-f', 'ipod'],
  mp4: ['-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
  webm: ['-c:a', 'libopus', '-b:a', '48k', '-f', 'webm'],
  mpeg: ['-c:a', 'mp2', '-b:a', '128k', '-f', 'mpeg'],
  ogg: ['-c:a', 'libvorbis', '-f', 'ogg'],
};

/**
 * Speaks `text` (or a list of turns) into an audio file. Returns the path written. Multi-turn
 * input plays the turns one after another; with `channels: 2` each turn sits on its speaker's
 * channel and the other channel is silent, like a call recorded with one channel per side.
 */
export async function synthesizeSpeech(
  text: string | readonly string[],
  options: SpeechOptions,
): Promise<string> {
  const turns = typeof text === 'string' ? [text] : [...text];
  if (turns.length === 0) throw new Error('synthesizeSpeech needs at least one turn of text');
  const espeak = findExecutable('espeak-ng');
  const ffmpeg = findExecutable('ffmpeg');
  if (espeak === null || ffmpeg === null)
    throw new Error(speechToolsAvailable(['espeak-ng', 'ffmpeg']).reason);
  const format =
    options.format ?? (extname(options.outPath).slice(1).toLowerCase() as SpeechOptions['format']);
  if (format === undefined || !(format in CODECS)) throw new Error(`unsupported speech format: ${format}`);
  const channels = options.channels ?? 1;
  const pause = options.pauseSeconds ?? 0.6;

  const workDir = await mkdtemp(join(tmpdir(), 'parley-speech-'));
  try {
    const turnFiles: string[] = [];
    for (const [index, turn] of turns.entries()) {
      const file = join(workDir, `turn-${index}.wav`);
      const run = await runTool(espeak, [
        '-v',
        options.voice ?? RECOGNISABLE_VOICE,
        '-s',
        String(options.speedWpm ?? RECOGNISABLE_WPM),
        '-g',
        '6',
        '-w',
        file,
        '--',
        turn,
      ]);
      if (run.exitCode !== 0) throw new Error(`espeak-ng failed: ${stderrTail(run.stderr)}`);
      turnFiles.push(file);
    }

    const filters = turnFiles.map((_, index) => {
      const pan =
        channels === 1
          ? 'pan=mono|c0=c0'
          : index % 2 === 0 || typeof text === 'string'
            ? `pan=stereo|c0=c0|c1=${typeof text === 'string' ? 'c0' : '0*c0'}`
            : 'pan=stereo|c0=0*c0|c1=c0';
      return `[${index}:a]${pan},apad=pad_dur=${pause}[t${index}]`;
    });
    const concat = `${turnFiles.map((_, index) => `[t${index}]`).join('')}concat=n=${turnFiles.length}:v=0:a=1[out]`;
    const run = await runTool(ffmpeg, [
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-y',
      ...turnFiles.flatMap((file) => ['-i', file]),
      '-filter_complex',
      [...filters, concat].join(';'),
      '-map',
      '[out]',
      ...(options.sampleRate === undefined ? [] : ['-ar', String(options.sampleRate)]),
      ...CODECS[format],
      options.outPath,
    ]);
    if (run.exitCode !== 0) throw new Error(`ffmpeg could not write ${format}: ${stderrTail(run.stderr)}`);
    return options.outPath;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
